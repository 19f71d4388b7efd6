import { useState } from 'preact/hooks';
import { ApiError, get, session } from '../api/client.js';

/** Checks the token against a read route before keeping it (in sessionStorage only, never in the URL). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage('');
    session.signIn(token);
    try {
      await get('/v1/services');
      onSignedIn();
    } catch (error) {
      session.signOut();
      const err = error as ApiError;
      setMessage(
        err instanceof ApiError && err.status === 401
          ? `Vigil refused this token: ${err.detail}.`
          : err instanceof ApiError && err.status === 403
            ? `This token lacks the read scope the dashboard needs (${err.detail}).`
            : `Could not sign in: ${err.message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in" id="main">
      <h1>Vigil</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p id="sign-in-help" class="muted">
          A token with the <code>read</code> scope shows everything; acting (acknowledge, silence, edit targets) needs{' '}
          <code>write</code>. It is kept in this tab's session storage only. In local mode, <code>npm start</code>{' '}
          prints an admin token.
        </p>
        {message && (
          <p class="notice error" role="alert">
            {message}
          </p>
        )}
      </form>
    </main>
  );
}
