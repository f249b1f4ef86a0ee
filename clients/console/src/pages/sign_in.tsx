import { getStatus } from '@callplane/client';
import { useState } from 'preact/hooks';

import { ApiError, setToken } from '../api';
import { ErrorNote } from '../parts/notice';

/** Sign-in with an API token (an admin token, or read for a look-only console). */
export function SignIn() {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(undefined);
    const t = token.trim();
    if (!t) {
      setError('Paste an API token.');
      return;
    }
    // Checked before it is kept: a wrong token is refused here, not on the first page.
    const answer = await getStatus({ auth: t }).catch(() => undefined);
    const status = answer?.response?.status ?? 0;
    if (status === 200) {
      setToken(t);
      return;
    }
    setError(status === 401 ? 'This token is not valid (expired, revoked or mistyped).' : status === 403 ? 'This token may not read the PBX: it needs scope admin or read.' : new ApiError(status, undefined).message);
  };
  return (
    <main class="sign-in">
      <h1>Callplane console</h1>
      <form onSubmit={submit}>
        <div class="field">
          <label for="token">API token</label>
          <textarea id="token" rows={4} spellcheck={false} autocomplete="off" aria-describedby="token-help" value={token} onInput={(e) => setValue((e.target as HTMLTextAreaElement).value)} />
          <span class="help" id="token-help">
            A token with scope admin (or read, to look only). It is kept in this tab's session storage and dropped when the tab closes. Mint one with <code>callplane token create --scope admin</code>; a new installation also writes its first admin token into its data directory.
          </span>
        </div>
        <ErrorNote message={error} />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
