// The API key is typed once, exchanged at POST /api/v1/auth/token and forgotten: only the
// short-lived access token is kept, in sessionStorage (gone when the tab closes).
const KEY = "meshplane.token";

export function currentToken(): string | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const { token, expiresAt } = JSON.parse(raw) as { token: string; expiresAt: number };
  return Date.now() < expiresAt ? token : null;
}

export async function signIn(apiKey: string): Promise<void> {
  const res = await fetch("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: apiKey }),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new Error(problem.detail ?? problem.title ?? `sign-in refused (${res.status})`);
  }
  const body = (await res.json()) as { access_token: string; expires_in: number };
  sessionStorage.setItem(KEY, JSON.stringify({ token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }));
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event("meshplane:signed-out"));
}
