/**
 * Console users and their sessions. Passwords are hashed with scrypt (N=2^15, r=8, p=1, 16-byte
 * salt, 32-byte key) and compared in constant time. A login returns a random session token (sent as
 * an httpOnly, SameSite=Strict cookie; only its SHA-256 is stored) and a CSRF token that every
 * state-changing request made with the cookie must echo in `x-csrf-token`. Roles are the API's roles,
 * so the console sees exactly what the policy table allows.
 */
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions, users } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { ConflictError, UnauthorizedError } from "../errors.ts";
import { authorize, type Principal, ROLES, type Role } from "./policy.ts";

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SESSION_HOURS = 12;

export const UserRequest = z
  .strictObject({
    username: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, "must be 3-64 letters, digits, '_', '.' or '-'"),
    password: z.string().min(12, "must be at least 12 characters").max(200),
    role: z.enum(ROLES),
    authority: z.string().min(1).max(300).nullable().default(null),
  })
  .refine((u) => (u.role === "requester") === (u.authority !== null), {
    message: "a requester user needs an authority, and only a requester has one",
    path: ["authority"],
  });
export type UserRequest = z.output<typeof UserRequest>;

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(key, expected);
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface SessionView {
  user: { username: string; role: Role; authority: string | null };
  csrfToken: string;
}

export class UserService {
  /** A fixed hash to compare against when the user does not exist (no timing oracle on usernames). */
  private dummy: Promise<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    u: UserRequest,
    principal: Principal | null,
  ): Promise<{ id: string; username: string; role: Role }> {
    if (principal) authorize(principal, "create", "user");
    const [clash] = await this.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${u.username})`);
    if (clash) throw new ConflictError(`the username '${u.username}' is taken`);
    const row = {
      id: randomUUID(),
      username: u.username,
      passwordHash: await hashPassword(u.password),
      role: u.role,
      authority: u.authority,
      createdBy: principal?.keyId ?? "cli",
      createdAt: this.now().toISOString(),
      disabledAt: null,
    };
    await this.db.insert(users).values(row);
    return { id: row.id, username: row.username, role: row.role };
  }

  async list(principal: Principal) {
    authorize(principal, "read", "user");
    const rows = await this.db.select().from(users).orderBy(users.username);
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      role: r.role,
      authority: r.authority,
      createdBy: r.createdBy,
      createdAt: new Date(r.createdAt).toISOString(),
      disabledAt: r.disabledAt ? new Date(r.disabledAt).toISOString() : null,
    }));
  }

  /** Checks the password and opens a session; returns the cookie token and what the console needs. */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date } & SessionView> {
    const [u] = await this.db
      .select()
      .from(users)
      .where(and(sql`lower(${users.username}) = lower(${username})`, isNull(users.disabledAt)));
    this.dummy ??= hashPassword("not a real password, only for timing");
    const ok = await verifyPassword(password, u?.passwordHash ?? (await this.dummy));
    if (!u || !ok) throw new UnauthorizedError("wrong username or password");
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    const expiresAt = new Date(this.now().getTime() + SESSION_HOURS * 3_600_000);
    await this.db.delete(sessions).where(lt(sessions.expiresAt, this.now().toISOString()));
    await this.db.insert(sessions).values({
      tokenHash: sha256(token),
      userId: u.id,
      csrfToken,
      createdAt: this.now().toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return {
      token,
      expiresAt,
      csrfToken,
      user: { username: u.username, role: u.role as Role, authority: u.authority },
    };
  }

  /** The session for a cookie token, or null when unknown, expired or the user is disabled. */
  async session(token: string): Promise<(SessionView & { principal: Principal }) | null> {
    const [r] = await this.db
      .select({ csrf: sessions.csrfToken, u: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sha256(token)),
          gt(sessions.expiresAt, this.now().toISOString()),
          isNull(users.disabledAt),
        ),
      );
    if (!r) return null;
    const role = r.u.role as Role;
    return {
      csrfToken: r.csrf,
      user: { username: r.u.username, role, authority: r.u.authority },
      principal: { keyId: `user:${r.u.username}`, role, authority: r.u.authority },
    };
  }

  async logout(token: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  }
}
