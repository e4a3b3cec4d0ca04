/** The bulk action on a case's accounts: exclusions and justified protected accounts → request body. */
export interface CaseActionDraft {
  members: string[];
  excluded: ReadonlySet<string>;
  /** Protected accounts (id → category). */
  protectedIds: ReadonlyMap<string, string>;
  /** Justifications typed for protected accounts the moderator deliberately includes. */
  justifications: ReadonlyMap<string, string>;
  reason: string;
  rule: string;
}

export interface CaseActionBody {
  action: "suspend";
  target: "accounts";
  rule: string;
  reason: string;
  exclude: string[];
  includeProtected: Array<{ id: string; justification: string }>;
  dryRun?: boolean;
}

export function buildCaseAction(d: CaseActionDraft, dryRun = false): CaseActionBody {
  const includeProtected: Array<{ id: string; justification: string }> = [];
  for (const id of d.members) {
    if (d.excluded.has(id) || !d.protectedIds.has(id)) continue;
    const j = d.justifications.get(id)?.trim();
    if (j) includeProtected.push({ id, justification: j });
  }
  const body: CaseActionBody = {
    action: "suspend",
    target: "accounts",
    rule: d.rule.trim(),
    reason: d.reason.trim(),
    exclude: d.members.filter((m) => d.excluded.has(m)),
    includeProtected,
  };
  if (dryRun) body.dryRun = true;
  return body;
}

/** Protected members that are neither excluded nor justified: the server would refuse them. */
export function unresolvedProtected(d: CaseActionDraft): string[] {
  return d.members.filter(
    (m) => d.protectedIds.has(m) && !d.excluded.has(m) && (d.justifications.get(m)?.trim().length ?? 0) < 20,
  );
}
