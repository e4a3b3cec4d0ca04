import { type FormEvent, useState } from "react";
import { ErrorBox } from "../components/ui.tsx";
import { type ApiError, api } from "../lib/api.ts";
import type { Session } from "../lib/types.ts";

export function LoginPage(props: { onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onLogin(await api<Session>("/v1/session", { method: "POST", body: { username, password } }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <h1>Sign in to the Vigil console</h1>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span className="field-label">Username</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <ErrorBox error={error} />
      </form>
      <p className="muted">Accounts are created by an administrator (`vigil users create`).</p>
    </div>
  );
}
