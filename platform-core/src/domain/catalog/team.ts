import { invalidArgument } from '../errors.js';

/** A team owns products and connections (hekima.yaml `teams`). Names are unique per tenant. */
export interface Team {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly description?: string;
  readonly members: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewTeam {
  readonly name: string;
  readonly description?: string;
  readonly members?: readonly string[];
}

/** InvalidArgument `invalid_team` for an empty or over-long name. */
export function assertNewTeam(input: NewTeam): void {
  if (input.name.trim() === '' || input.name.length > 200) {
    throw invalidArgument('invalid_team', 'A team name must be 1–200 characters.', { details: { name: input.name } });
  }
}
