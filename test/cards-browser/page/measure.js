// Runs inside headless Chromium, after adaptivecards.min.js. Renders one card with the official
// renderer and reports what a reader would meet: renderer events, boxes whose content is wider
// than the box, text squeezed into a narrow column, the card's height, and every piece of text
// with its colour and the backgrounds under it. It judges nothing: the rules live in
// checkRules.ts, where `npm test` covers them.
/* global AdaptiveCards */
(function () {
  'use strict';

  // Teams renders a small Markdown subset in TextBlocks: bold, italic, links, bulleted and
  // numbered lists. The renderer leaves Markdown to its host, so this page plays that host.
  function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function inline(s) {
    return escapeHtml(s)
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
      .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>');
  }
  function markdown(text) {
    const out = [];
    let list = null;
    const close = () => { if (list) { out.push(`</${list}>`); list = null; } };
    for (const line of text.split(/\r?\n/)) {
      const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
      const numbered = /^\s*(\d+)\.\s+(.*)$/.exec(line);
      if (bullet || numbered) {
        const kind = bullet ? 'ul' : 'ol';
        // As in CommonMark, a numbered list starts at its first item's number.
        if (list !== kind) { close(); out.push(kind === 'ol' ? `<ol start="${Number(numbered[1])}">` : '<ul>'); list = kind; }
        out.push(`<li>${inline(bullet ? bullet[1] : numbered[2])}</li>`);
      } else {
        close();
        if (line.trim()) out.push(`<p>${inline(line)}</p>`);
      }
    }
    close();
    return out.join('');
  }
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };

  const EVENT_NAMES = Object.keys(AdaptiveCards.ValidationEvent).filter((k) => Number.isNaN(Number(k)));
  const eventName = (n) => EVENT_NAMES.find((k) => AdaptiveCards.ValidationEvent[k] === n) || String(n);

  function ownText(el) {
    let s = '';
    for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE) s += node.textContent;
    return s.replace(/\s+/g, ' ').trim();
  }

  function describe(el) {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
    const cls = [...el.classList].filter((c) => c.startsWith('ac-')).join('.') || el.tagName.toLowerCase();
    return `${cls} "${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
  }

  function backgrounds(el) {
    const layers = [];
    for (let n = el; n && n.nodeType === Node.ELEMENT_NODE; n = n.parentElement) {
      const bg = getComputedStyle(n).backgroundColor;
      if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') layers.unshift(bg);
    }
    return layers;
  }

  function visible(el) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  }

  const BOXES = '.ac-textBlock, .ac-richTextBlock, .ac-factset, .ac-columnSet, .ac-container, .ac-pushButton > div, .ac-textRun, table, td, .ac-input-container, label';

  window.lanternRender = function lanternRender(cardJson, hostConfig, width) {
    const host = document.getElementById('host');
    host.innerHTML = '';
    host.style.width = `${width}px`;
    const result = { events: [], error: undefined, height: 0, overflow: [], squeezed: [], texts: [] };
    let rendered;
    try {
      const card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
      const context = new AdaptiveCards.SerializationContext();
      card.parse(cardJson, context);
      for (let i = 0; i < context.eventCount; i++) {
        const e = context.getEventAt(i);
        result.events.push({ event: eventName(e.event), message: e.message });
      }
      for (const e of card.validateProperties().validationEvents) result.events.push({ event: eventName(e.event), message: e.message });
      rendered = card.render();
    } catch (err) {
      result.error = String((err && err.stack) || err);
      return result;
    }
    if (!rendered) {
      result.error = 'the renderer returned nothing';
      return result;
    }
    host.appendChild(rendered);
    const cardBox = rendered.getBoundingClientRect();
    result.height = Math.round(cardBox.height);

    const seen = new Set();
    for (const el of [rendered, ...rendered.querySelectorAll(BOXES)]) {
      if (!visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        result.overflow.push({ what: describe(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
        seen.add(el);
      }
      const r = el.getBoundingClientRect();
      if (!seen.has(el) && r.right > cardBox.right + 1) {
        result.overflow.push({ what: `${describe(el)} (past the card's right edge)`, scrollWidth: Math.round(r.right - cardBox.left), clientWidth: Math.round(cardBox.width) });
      }
    }

    for (const el of rendered.querySelectorAll('.ac-textBlock')) {
      if (!visible(el)) continue;
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
      // A Markdown block holds paragraphs or list items: judge each line box of text on its own.
      const parts = el.querySelectorAll('p, li');
      const pieces = parts.length ? [...parts] : [el];
      for (const piece of pieces) {
        const t = piece.innerText.replace(/\s+/g, ' ').trim();
        const lines = Math.round(piece.getBoundingClientRect().height / lineHeight);
        if (t) result.squeezed.push({ what: describe(piece), length: t.length, lines, width: Math.round(piece.getBoundingClientRect().width) });
      }
    }

    const textual = rendered.querySelectorAll('*');
    for (const el of textual) {
      const isField = el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
      const text = isField ? (el.value || el.getAttribute('placeholder') || '') : ownText(el);
      if (!text || !visible(el)) continue;
      const cs = getComputedStyle(el);
      result.texts.push({
        what: describe(el),
        text: text.slice(0, 80),
        colour: cs.color,
        backgrounds: backgrounds(el),
        fontSize: parseFloat(cs.fontSize),
        fontWeight: Number(cs.fontWeight) || 400,
        placeholder: isField && !el.value,
      });
    }
    return result;
  };
})();
