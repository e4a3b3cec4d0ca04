/** A small HTTP client for CLI commands that talk to a running server (`--url`). */
export class ApiClient {
  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  async request<T>(
    method: string,
    path: string,
    body?: string,
    contentType = "application/json",
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.url), {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      body,
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: { code: "bad_response", message: text.slice(0, 200) } };
    }
    if (res.status >= 400) {
      const err = (parsed as { error?: { code?: string; message?: string } }).error;
      throw new Error(
        `${method} ${path} answered ${res.status} ${err?.code ?? ""}: ${err?.message ?? text.slice(0, 200)}`,
      );
    }
    return { status: res.status, body: parsed as T };
  }

  /** A GET whose body is returned as bytes (CSV, HTML, PDF); errors as in `request`. */
  async raw(path: string): Promise<Buffer> {
    const res = await fetch(new URL(path, this.url), { headers: { authorization: `Bearer ${this.key}` } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status >= 400)
      throw new Error(`GET ${path} answered ${res.status}: ${body.toString("utf8").slice(0, 300)}`);
    return body;
  }
}
