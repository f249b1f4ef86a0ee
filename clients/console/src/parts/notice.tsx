// Messages: errors are announced to screen readers at once (role=alert), the rest politely.
import type { ComponentChildren } from 'preact';

export function ErrorNote({ message }: { message: string | undefined }) {
  return message ? (
    <p class="note error" role="alert">
      {message}
    </p>
  ) : null;
}

export function InfoNote({ children }: { children: ComponentChildren }) {
  return (
    <p class="note info" role="status">
      {children}
    </p>
  );
}
