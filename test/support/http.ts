import { request } from 'undici';

export interface Reply {
  status: number;
  /** Header values as UTF-8 text (NGINX sends claim text as raw UTF-8 bytes). */
  header(name: string): string | undefined;
  body: string;
}

/** Sends a request with exactly these Authorization header values, in order. */
export async function send(url: string, authorization: string[], method: 'GET' | 'OPTIONS' | 'HEAD' = 'GET'): Promise<Reply> {
  const headers = authorization.flatMap((value) => ['authorization', value]);
  const response = await request(url, { method, headers });
  const body = await response.body.text();
  return {
    status: response.statusCode,
    header(name) {
      const value = response.headers[name.toLowerCase()];
      const text = Array.isArray(value) ? value.join(', ') : value;
      return text === undefined ? undefined : Buffer.from(text, 'latin1').toString('utf8');
    },
    body,
  };
}
