// WWW-Authenticate parsing (RFC 9110 §11.6.1, RFC 6750 §3). Node joins several header lines
// with ", ", so one string may hold several challenges, and quoted values hold commas
// (`scope="repository:x:pull,push"`): a small tokenizer, never a split on ",".
// Sources: docs/registry-protocol.md §2.2; distribution authchallenge.go; regclient auth.go.

export interface Challenge {
  /** Lower-cased: `bearer`, `basic`, … */
  scheme: string;
  /** Parameter names lower-cased; values unquoted and unescaped. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Reads every challenge. A token followed by "=" is a parameter of the challenge before it;
 * any other token starts a new challenge. A token68 credential (`Negotiate abc==`) is read as
 * a harmless parameter of its scheme, which no caller uses.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let current: Challenge | null = null;
  let i = 0;
  const n = header.length;
  const skip = (chars: string) => {
    while (i < n && chars.includes(header[i]!)) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const readQuoted = () => {
    let value = '';
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote, or the end of an unterminated string
    return value;
  };

  while (i < n) {
    skip(' \t,');
    if (i >= n) break;
    const token = readToken();
    if (token.length === 0) {
      i++; // not a token character: skip it and resynchronize
      continue;
    }
    skip(' \t');
    if (header[i] === '=' && current !== null) {
      i++;
      skip(' \t');
      const value = header[i] === '"' ? readQuoted() : readToken();
      current.params[token.toLowerCase()] = value;
    } else if (header[i] !== '=') {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    } else {
      i++; // a parameter with no challenge before it: ignore
    }
  }
  return challenges;
}

/** Bearer over Basic (go-containerregistry's pickFromMultipleChallenges); others ignored. */
export function pickChallenge(challenges: Challenge[]): Challenge | null {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic') ?? null;
}
