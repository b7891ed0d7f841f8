/** A website as the filter sees it: a host, optionally narrowed to a path. */
export type WebsiteResult = { ok: true; value: string } | { ok: false; error: string };

const MAX_LENGTH = 500;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalises what a teacher pastes ("www.BBC.co.uk/bitesize?x=1", "https://example.org/") to the
 * form a filter rule takes ("bbc.co.uk/bitesize"): lower-case host, no scheme, no www, no query
 * or fragment, no trailing slash. Anything that is not a public web address is refused.
 */
export function normaliseWebsite(input: string): WebsiteResult {
  const text = input.trim();
  if (!text) return { ok: false, error: 'Enter the website address, for example www.example.org/page.' };
  if (text.length > MAX_LENGTH) return { ok: false, error: `The address is ${text.length} characters long; the limit is ${MAX_LENGTH}.` };
  if (/\s/.test(text)) return { ok: false, error: 'A web address has no spaces. Paste just the address, for example www.example.org/page.' };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (hasScheme && !/^https?:\/\//i.test(text)) return { ok: false, error: 'Only web addresses (http or https) can be filtered.' };
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    return { ok: false, error: `"${text.slice(0, 80)}" is not a web address. Paste it from the browser's address bar.` };
  }
  if (url.username || url.password) return { ok: false, error: 'The address must not contain a user name or password.' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\d?\./, '');
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^(xn--[a-z0-9-]+|[a-z]{2,63})$/.test(labels[labels.length - 1])) {
    return { ok: false, error: `"${text.slice(0, 80)}" does not look like a website address (it needs a name such as example.org).` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, value: `${host}${path}` };
}

/** True when `site` is `listed` or lies under it (a subdomain or a deeper path). */
export function siteIsWithin(site: string, listed: string): boolean {
  const [siteHost, ...sitePath] = site.split('/');
  const [listedHost, ...listedPath] = listed.toLowerCase().replace(/^www\d?\./, '').split('/');
  const hostMatches = siteHost === listedHost || siteHost.endsWith(`.${listedHost}`);
  if (!hostMatches) return false;
  return listedPath.every((part, i) => sitePath[i] === part);
}
