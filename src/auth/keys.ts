/**
 * API keys: `vgl_<id>_<secret>`. Only SHA-256(secret) is stored (the secret has 192 random bits, so a
 * slow hash adds nothing). `VIGIL_ADMIN_KEY`, when set, is accepted as an admin key.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { apiKeys } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { InvalidRequestError, UnauthorizedError } from "../errors.ts";
import { type Principal, ROLES, type Role } from "./policy.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface CreatedKey {
  id: string;
  key: string;
  role: Role;
  authority: string | null;
}

export class KeyService {
  private readonly adminKeyHash: Buffer | null;
  private readonly cache = new Map<string, { principal: Principal | null; at: number }>();

  constructor(
    private readonly db: Db,
    adminKey: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.adminKeyHash = adminKey === null ? null : Buffer.from(sha256(adminKey), "hex");
  }

  async create(
    role: string,
    opts: { authority?: string | null; label?: string | null } = {},
  ): Promise<CreatedKey> {
    if (!(ROLES as readonly string[]).includes(role))
      throw new InvalidRequestError(`unknown role '${role}': use one of ${ROLES.join(", ")}`);
    const authority = opts.authority ?? null;
    if (role === "requester" && !authority)
      throw new InvalidRequestError("a requester key must be bound to an authority (--authority NAME)");
    if (role !== "requester" && authority)
      throw new InvalidRequestError("only requester keys are bound to an authority");
    const id = randomBytes(6).toString("hex");
    const secret = randomBytes(24).toString("base64url");
    await this.db.insert(apiKeys).values({
      id,
      secretHash: sha256(secret),
      role,
      authority,
      label: opts.label ?? null,
      createdAt: this.now().toISOString(),
    });
    return { id, key: `vgl_${id}_${secret}`, role: role as Role, authority };
  }

  /** True when no API key has been minted yet (a fresh store). */
  async none(): Promise<boolean> {
    const rows = await this.db.select({ id: apiKeys.id }).from(apiKeys).limit(1);
    return rows.length === 0;
  }

  /** Resolves an `Authorization` header to a principal, or throws 401. */
  async authenticate(header: string | undefined): Promise<Principal> {
    const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new UnauthorizedError();
    const key = m[1]!;
    if (this.adminKeyHash) {
      const h = Buffer.from(sha256(key), "hex");
      if (timingSafeEqual(h, this.adminKeyHash))
        return { keyId: "env:VIGIL_ADMIN_KEY", role: "admin", authority: null };
    }
    const cached = this.cache.get(key);
    if (cached && this.now().getTime() - cached.at < 5_000) {
      if (cached.principal) return cached.principal;
      throw new UnauthorizedError("the API key is not valid");
    }
    const principal = await this.lookup(key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { principal, at: this.now().getTime() });
    if (!principal) throw new UnauthorizedError("the API key is not valid");
    return principal;
  }

  private async lookup(key: string): Promise<Principal | null> {
    const m = /^vgl_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(key);
    if (!m) return null;
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, m[1]!));
    if (!row || row.revokedAt !== null) return null;
    if (!timingSafeEqual(Buffer.from(row.secretHash, "hex"), Buffer.from(sha256(m[2]!), "hex"))) return null;
    return { keyId: row.id, role: row.role as Role, authority: row.authority };
  }
}
