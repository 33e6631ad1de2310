/** Shared test helpers. */

/** The `code` of the error `f` throws, or 'no error'. */
export function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}
