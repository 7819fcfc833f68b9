import { Type, type Static } from '@sinclair/typebox';
import { header, Strict, ProductName, Duration, ClassificationLevel, DOMAIN_PATTERN } from './common.js';

export const ProductSchema = Strict(
  {
    ...header('DataProduct'),
    metadata: Strict(
      {
        name: ProductName({
          title: 'Product name',
          description:
            'Unique name of the data product within its tenant and domain: lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters. Other products name it as an input id.',
          examples: ['outlet-daily-sales'],
        }),
        domain: Type.String({
          pattern: DOMAIN_PATTERN,
          title: 'Domain',
          description:
            'Business domain the product belongs to: starts with a lowercase letter, then lowercase letters, digits or hyphens, 1 to 63 characters. Created on first use and immutable afterwards.',
          examples: ['retail'],
        }),
        version: Type.String({
          format: 'semver',
          title: 'Version',
          description:
            'Semantic version MAJOR.MINOR.PATCH. A breaking change to the output schema (removing, renaming or narrowing a column) needs a major bump.',
          examples: ['1.0.0'],
        }),
        owner: Type.String({
          minLength: 1,
          title: 'Owner',
          description:
            'The team that owns the product. When the workspace hekima.yaml declares teams, it must be one of them.',
          examples: ['retail-analytics'],
        }),
        description: Type.String({
          minLength: 10,
          title: 'Description',
          description: 'What the product contains and who it is for; at least 10 characters.',
          examples: ['Daily sales per outlet, aggregated from point-of-sale transactions.'],
        }),
        tags: Type.Optional(
          Type.Array(
            Type.String({
              pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
              description: 'A lowercase tag of letters, digits and hyphens.',
            }),
            {
              default: [],
              uniqueItems: true,
              title: 'Tags',
              description: 'Lowercase search tags (letters, digits and hyphens).',
              examples: [['sales', 'daily']],
            },
          ),
        ),
        classification: ClassificationLevel({
          title: 'Classification',
          description:
            'Sensitivity of the whole product, least to most sensitive: public, internal, confidential, restricted. It must be at least the highest classification of every (transitive) input.',
          examples: ['internal'],
        }),
        contacts: Type.Optional(
          Type.Array(
            Strict(
              {
                name: Type.String({ minLength: 1, description: 'Full name of the contact.' }),
                role: Type.Optional(Type.String({ description: 'Role, e.g. product-owner or data-steward.' })),
                email: Type.Optional(Type.String({ format: 'email', description: 'E-mail address.' })),
              },
              { description: 'A person to contact about the product.' },
            ),
            { default: [], title: 'Contacts', description: 'People to contact about the product.' },
          ),
        ),
      },
      {
        title: 'Metadata',
        description: 'Identity of the data product: name, domain, version, owner and classification.',
      },
    ),
    versioning: Type.Optional(
      Strict(
        {
          deprecation_window: Type.Optional(
            Duration({
              default: '90d',
              title: 'Deprecation window',
              description:
                'How long the previous major version stays live after a breaking release; a duration of at most 180d.',
              examples: ['90d'],
            }),
          ),
          migration_guide: Type.Optional(
            Type.String({ title: 'Migration guide', description: 'Markdown text telling consumers how to migrate.' }),
          ),
        },
        { title: 'Versioning', description: 'Lifecycle settings for major versions.' },
      ),
    ),
    retention: Type.Optional(
      Strict(
        {
          period: Duration({
            title: 'Retention period',
            description: 'How long rows are kept, e.g. 365d or 730d.',
            examples: ['730d'],
          }),
          basis: Type.String({
            minLength: 1,
            title: 'Retention basis',
            description:
              'Which timestamp sets a row’s age: a keyword such as event_time or created_at, or a column name.',
            examples: ['event_time'],
          }),
          review_date: Type.Optional(
            Type.String({
              format: 'date',
              title: 'Review date',
              description: 'ISO date (YYYY-MM-DD) when the policy is next reviewed.',
              examples: ['2027-01-01'],
            }),
          ),
        },
        { title: 'Retention', description: 'Data retention policy.' },
      ),
    ),
  },
  {
    title: 'akili/v1 DataProduct (product.yaml)',
    description: 'Identity, domain, owner and classification of a data product.',
  },
);

export type ProductManifest = Static<typeof ProductSchema>;
