/** `#Tag`, `Tag` → `Tag` (the match itself is the server's: GET /v1/hashtags/variants). */
export const stripHash = (s: string): string => s.trim().replace(/^[#＃]+/u, "");
