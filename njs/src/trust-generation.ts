/**
 * The trust generation: a digest of every file NGINX's njs reads when it loads
 * the configuration, the modules (`js_import`) and the preloaded objects
 * (`js_preload_object`: the key set, a revocation list). It leads the token
 * cache's key, so a start or reload that changes keys, revocations or the code
 * that checks tokens never answers from a success cached under the old ones,
 * while a reload that changes none of them keeps the cache.
 *
 * It is salted with random bits kept in a file next to it: NGINX finds a cache
 * entry by the MD5 and a CRC32 of its key, never comparing the key itself, and
 * an unpredictable prefix leaves no way to craft another Authorization header
 * with a cached token's hashes.
 *
 * Written by the launchers before NGINX reads the configuration (see
 * nginx/nginx.conf); shared by the njs CLI and Node, which pass their own file
 * access, SHA-256 and randomness.
 */
export interface TrustFiles {
  readText(path: string, encoding: 'utf8'): string;
  /** Writes a file only its owner can read. */
  writePrivate(path: string, text: string): void;
}
type Sha256Hex = (text: string) => string;
type RandomHex = (bytes: number) => string;

const SALT = /^[0-9a-f]{32}$/;

/** The salt in `saltFile`, created with 128 random bits when the file does not exist yet. */
export function cacheSalt(saltFile: string, files: TrustFiles, randomHex: RandomHex): string {
  let salt: string;
  try {
    salt = files.readText(saltFile, 'utf8').trim();
  } catch (e) {
    salt = randomHex(16);
    files.writePrivate(saltFile, salt + '\n');
  }
  if (!SALT.test(salt)) {
    throw new Error('token cache salt ' + saltFile + ' is not 32 hex digits: delete it to draw a new one');
  }
  return salt;
}

/** The file NGINX includes, defining `$jwt_trust_generation`. */
export function trustGenerationConf(confPaths: string[], salt: string, readText: TrustFiles['readText'], sha256Hex: Sha256Hex): string {
  const digests = trustedFiles(confPaths, readText).map(function (file) {
    let content: string;
    try {
      content = sha256Hex(readText(file, 'utf8'));
    } catch (e) {
      // NGINX will not start without it; the key-set check names a missing key set.
      content = 'unreadable';
    }
    return file + ' ' + content;
  });
  return '# Written at every start and reload from ' + digests.length + ' file(s) njs loads; do not edit.\n' +
    'map "" $jwt_trust_generation { default "' + sha256Hex(salt + '\n' + digests.join('\n')) + '"; }\n';
}

/** The files the configuration's js_import and js_preload_object directives name, relative ones under js_path. */
export function trustedFiles(confPaths: string[], readText: TrustFiles['readText']): string[] {
  const texts = confPaths.map(function (path) { return readText(path, 'utf8').replace(/#[^\n]*/g, ''); });
  const jsPath = directiveValues(texts, /(?:^|[\s;{}])js_path\s+("[^"]*"|'[^']*'|[^\s;]+)\s*;/g);
  const base = jsPath.length > 0 ? jsPath[0].replace(/\/*$/, '/') : '';
  const files = directiveValues(texts, /(?:^|[\s;{}])js_(?:import|preload_object)\s+(?:[A-Za-z_][A-Za-z0-9_.]*\s+from\s+)?("[^"]*"|'[^']*'|[^\s;]+)\s*;/g);
  return files.map(function (file) { return file.charAt(0) === '/' ? file : base + file; })
    .filter(function (file, index, all) { return all.indexOf(file) === index; })
    .sort();
}

function directiveValues(texts: string[], directive: RegExp): string[] {
  const values: string[] = [];
  texts.forEach(function (text) {
    let match: RegExpExecArray | null;
    directive.lastIndex = 0;
    while ((match = directive.exec(text)) !== null) {
      values.push(match[1].replace(/^(["'])(.*)\1$/, '$2'));
    }
  });
  return values;
}
