import { assertNewTeam, type NewTeam, type Team } from '../../../domain/catalog/team.js';
import type { Page, PageRequest } from '../../../domain/pagination.js';
import type { TeamRepository } from '../../../ports/catalog.js';
import type { SqlRow } from '../../../ports/sql-database.js';
import { pagedSelect } from './paged-query.js';
import { assertId, compact, conflictOn, iso, json, one, optString, type TenantContext } from './rows.js';

function teamFromRow(row: SqlRow): Team {
  return compact({
    id: String(row['id']),
    tenantId: String(row['tenant_id']),
    name: String(row['name']),
    description: optString(row['description']),
    members: (row['members'] as string[] | null) ?? [],
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
  });
}

export class PostgresTeamRepository implements TeamRepository {
  constructor(private readonly ctx: TenantContext) {}

  async create(input: NewTeam): Promise<Team> {
    assertNewTeam(input);
    return this.ctx.run(async (sql) => {
      const { rows } = await sql
        .query('INSERT INTO teams (tenant_id, name, description, members) VALUES ($1, $2, $3, $4::jsonb) RETURNING *', [
          this.ctx.tenantId,
          input.name,
          input.description ?? null,
          json(input.members ?? []),
        ])
        .catch(conflictOn({ teams_name_key: ['team_exists', `A team named "${input.name}" already exists.`] }));
      return teamFromRow(rows[0]!);
    });
  }

  async get(id: string): Promise<Team | undefined> {
    assertId(id);
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM teams WHERE tenant_id = $1 AND id = $2', [this.ctx.tenantId, id])).rows,
        teamFromRow,
      ),
    );
  }

  async getByName(name: string): Promise<Team | undefined> {
    return this.ctx.run(async (sql) =>
      one(
        (await sql.query('SELECT * FROM teams WHERE tenant_id = $1 AND name = $2', [this.ctx.tenantId, name])).rows,
        teamFromRow,
      ),
    );
  }

  async list(page?: PageRequest): Promise<Page<Team>> {
    return this.ctx.run((sql) =>
      pagedSelect(sql, page, {
        from: 'teams',
        where: ['tenant_id = $1'],
        params: [this.ctx.tenantId],
        map: teamFromRow,
      }),
    );
  }
}
