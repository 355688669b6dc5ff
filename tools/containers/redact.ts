/** Keeping secrets out of what the demo and the tests print. */

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g;

/** A recognisable but useless preview: the start of the JOSE header, never the signature. */
export function preview(secret: string): string {
  return `${secret.slice(0, 10)}…(${secret.length} chars, redacted)`;
}

/** Replaces the given secrets and anything JWT-shaped with a preview. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(preview(secret));
  return out.replace(JWT_SHAPE, (match) => preview(match));
}
