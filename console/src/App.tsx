import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { Loading } from "./components/ui.tsx";
import { api, setCsrfToken, setUnauthorizedHandler } from "./lib/api.ts";
import { Link, match, navigate, useLocation } from "./lib/router.tsx";
import { can, SessionContext, type SessionState } from "./lib/session.tsx";
import type { Session, SessionUser } from "./lib/types.ts";
import { LoginPage } from "./pages/Login.tsx";
import { OrderPage } from "./pages/Order.tsx";
import { OrdersPage } from "./pages/Orders.tsx";

// Pages other than the legal team's hot path load on demand.
const CasesPage = lazy(() => import("./pages/Cases.tsx").then((m) => ({ default: m.CasesPage })));
const CasePage = lazy(() => import("./pages/Case.tsx").then((m) => ({ default: m.CasePage })));
const SubjectPage = lazy(() => import("./pages/Subject.tsx").then((m) => ({ default: m.SubjectPage })));
const ViewerPage = lazy(() => import("./pages/Viewer.tsx").then((m) => ({ default: m.ViewerPage })));
const HashtagsPage = lazy(() => import("./pages/Hashtags.tsx").then((m) => ({ default: m.HashtagsPage })));
const AppealsPage = lazy(() => import("./pages/Appeals.tsx").then((m) => ({ default: m.AppealsPage })));
const TransparencyPage = lazy(() =>
  import("./pages/Transparency.tsx").then((m) => ({ default: m.TransparencyPage })),
);
const AuditPage = lazy(() => import("./pages/Audit.tsx").then((m) => ({ default: m.AuditPage })));

interface NavItem {
  href: string;
  label: string;
  show: (u: SessionUser) => boolean;
}
const NAV: NavItem[] = [
  { href: "/orders", label: "Orders", show: (u) => can(u, "read", "order") },
  { href: "/cases", label: "Cases", show: (u) => can(u, "read", "case") },
  { href: "/appeals", label: "Appeals", show: (u) => can(u, "read", "appeal") },
  { href: "/viewer", label: "View as viewer", show: (u) => can(u, "read", "visibility") },
  { href: "/hashtags", label: "Hashtags", show: (u) => can(u, "create", "enforcement") },
  { href: "/transparency", label: "Transparency", show: (u) => can(u, "read", "transparency") },
  { href: "/audit", label: "Audit log", show: (u) => can(u, "read", "ledger") || can(u, "read", "audit") },
];

function home(u: SessionUser): string {
  return NAV.find((n) => n.show(u))?.href ?? "/transparency";
}

function route(path: string, user: SessionUser): ReactNode {
  if (path === "/" || path === "") return <Redirect to={home(user)} />;
  if (path === "/orders") return <OrdersPage />;
  const order = match("/orders/:id", path);
  if (order) return <OrderPage id={order.id!} />;
  if (path === "/cases") return <CasesPage />;
  const kase = match("/cases/:id", path);
  if (kase) return <CasePage id={kase.id!} />;
  const subject = match("/subjects/:type/:id", path);
  if (subject) return <SubjectPage type={subject.type!} id={subject.id!} />;
  if (path === "/viewer") return <ViewerPage />;
  if (path === "/hashtags") return <HashtagsPage />;
  if (path === "/appeals") return <AppealsPage />;
  if (path === "/transparency") return <TransparencyPage />;
  if (path === "/audit") return <AuditPage />;
  if (path === "/login") return <Redirect to={home(user)} />;
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        No page at <code>{path}</code>. <Link href={home(user)}>Go home</Link>.
      </p>
    </div>
  );
}

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, { replace: true }), [props.to]);
  return null;
}

function SubjectJump() {
  const [v, setV] = useState("");
  return (
    <form
      className="jump"
      onSubmit={(e) => {
        e.preventDefault();
        const s = v.trim();
        if (!s) return;
        const [type, id] = s.includes(":")
          ? s.split(/:(.*)/s)
          : [/^p\d/.test(s) ? "post" : /^a\d/.test(s) ? "account" : "hashtag", s];
        navigate(`/subjects/${type}/${encodeURIComponent((id ?? "").replace(/^#/, ""))}`);
        setV("");
      }}
    >
      <input
        aria-label="Open a subject"
        placeholder="Subject: a000042, post:p0001, #tag"
        value={v}
        onChange={(e) => setV(e.target.value)}
      />
    </form>
  );
}

export function App() {
  const { path } = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    setUnauthorizedHandler(() => setSession(null));
    api<Session>("/v1/session").then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      () => setSession(null),
    );
    return () => setUnauthorizedHandler(null);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("/v1/session", { method: "DELETE" });
    } finally {
      setCsrfToken(null);
      setSession(null);
      navigate("/login");
    }
  }, []);

  const ctx = useMemo<SessionState | null>(
    () => (session ? { user: session.user, logout } : null),
    [session, logout],
  );

  if (session === undefined) return <Loading what="the console" />;
  if (!session || !ctx)
    return (
      <Shell>
        <LoginPage
          onLogin={(s) => {
            setCsrfToken(s.csrfToken);
            setSession(s);
            const next = new URLSearchParams(window.location.search).get("next");
            if (path === "/login" || path === "/")
              navigate(next?.startsWith("/") ? next : home(s.user), { replace: true });
          }}
        />
      </Shell>
    );

  const user = ctx.user;
  return (
    <SessionContext.Provider value={ctx}>
      <Shell
        nav={
          <>
            <nav aria-label="Main">
              {NAV.filter((n) => n.show(user)).map((n) => (
                <Link key={n.href} href={n.href} className={path.startsWith(n.href) ? "current" : undefined}>
                  {n.label}
                </Link>
              ))}
            </nav>
            {can(user, "read", "subject") && <SubjectJump />}
            <div className="who">
              <span dir="auto">{user.username}</span> <span className="badge badge-info">{user.role}</span>
              {user.authority ? <span className="muted"> {user.authority}</span> : null}
              <button type="button" className="link" onClick={() => void logout()}>
                Log out
              </button>
            </div>
          </>
        }
      >
        <Suspense fallback={<Loading />}>{route(path, user)}</Suspense>
      </Shell>
    </SessionContext.Provider>
  );
}

function Shell(props: { nav?: ReactNode; children: ReactNode }) {
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          Vigil
        </Link>
        {props.nav}
      </header>
      <main>{props.children}</main>
      <footer className="footer">
        Vigil reviewer console · <a href="https://db-ip.com">IP Geolocation by DB-IP</a> (CC BY 4.0) ·{" "}
        <a href="/openapi.json">API description</a>
      </footer>
    </div>
  );
}
