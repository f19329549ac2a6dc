// xterm writes its layout and colours into <style> elements it creates at run time. The window's
// Content-Security-Policy (style-src 'self') refuses inline styles, and reports each refusal. So
// while xterm builds its DOM (term.open), a <style> it asks for is handed a stand-in instead (an
// inert <template>, never rendered and never checked by the policy), and the text xterm writes into
// it is mirrored into a constructed stylesheet adopted by the document, which the policy does not
// govern, kept in step as xterm rewrites it (resize, theme).

const STAND_IN = 'data-inline-style';

/** Runs `build` with every document.createElement('style') answered by an inert stand-in. */
export function withStandInStyles<T>(build: () => T): T {
  const original = document.createElement;
  const create = original as (this: Document, tagName: string, options?: ElementCreationOptions) => HTMLElement;
  document.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions) {
    if (tagName.toLowerCase() === 'style') {
      const standIn = create.call(this, 'template');
      standIn.setAttribute(STAND_IN, '');
      return standIn;
    }
    return create.call(this, tagName, options);
  } as typeof document.createElement;
  try {
    return build();
  } finally {
    document.createElement = original;
  }
}

/** Mirrors the stand-ins (and any real <style>) under `root` into adopted stylesheets. */
export function mirrorInlineStyles(root: HTMLElement): () => void {
  const mirrored = new Map<Element, { sheet: CSSStyleSheet; text: string }>();

  const sync = () => {
    for (const element of root.querySelectorAll(`style, template[${STAND_IN}]`)) {
      const text = element.textContent ?? '';
      const known = mirrored.get(element);
      if (known && known.text === text) continue;
      const sheet = known?.sheet ?? new CSSStyleSheet();
      try {
        sheet.replaceSync(text);
      } catch {
        continue;
      }
      if (!known) document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      mirrored.set(element, { sheet, text });
    }
    for (const [element, { sheet }] of mirrored) {
      if (!root.contains(element)) {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
        mirrored.delete(element);
      }
    }
  };

  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const sheets = new Set([...mirrored.values()].map(({ sheet }) => sheet));
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => !sheets.has(adopted));
    mirrored.clear();
  };
}
