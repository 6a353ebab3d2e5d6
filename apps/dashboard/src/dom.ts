type Child = Node | string | null | undefined | false;

/** Tiny element builder: `h('p', { class: 'x' }, 'text', child)`; attributes set verbatim, null skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** An id-safe slug: `bloom/add/10k` → `bloom-add-10k`. */
export function slug(s: string): string {
  return s.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}

/** Copies text, falling back to a hidden textarea where the Clipboard API is unavailable (file://). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h('textarea', { 'aria-hidden': 'true', style: 'position:fixed;opacity:0' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

/** A small button that copies `text()` and says so. */
export function copyButton(label: string, text: () => string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'copy' }, label);
  b.addEventListener('click', async () => {
    const ok = await copyText(text());
    b.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => {
      b.textContent = label;
    }, 1500);
  });
  return b;
}
