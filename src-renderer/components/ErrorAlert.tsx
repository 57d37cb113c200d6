// The one way a screen or dialog shows what went wrong: read out by screen readers, found by the tests.
export function ErrorAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="alert" role="alert" data-testid="error-alert">
      {message}
    </p>
  );
}
