export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export function classificationRank(level: Classification): number {
  return CLASSIFICATIONS.indexOf(level);
}

export function isClassification(value: unknown): value is Classification {
  return typeof value === 'string' && (CLASSIFICATIONS as readonly string[]).includes(value);
}

export function maxClassification(a: Classification, b: Classification): Classification {
  return classificationRank(a) >= classificationRank(b) ? a : b;
}
