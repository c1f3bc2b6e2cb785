import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html.js';

describe('html', () => {
  it('escapes every interpolated value for text and double-quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">&'\``)).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;&#96;',
    );
    const name = `<b>"x" & 'y'</b>`;
    expect(html`<p title="${name}">${name}</p>`.toString()).toBe(
      '<p title="&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;">&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</p>',
    );
  });

  it('inserts markup from html as is, lists joined, and nothing for null, undefined and false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.toString()).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul>0',
    );
  });

  it('refuses unquoted attributes, event handlers and URL attributes that are not same-origin paths', () => {
    expect(() => html`<a title=${'x onmouseover=alert(1)'}>`).toThrow(/double-quoted/);
    expect(() => html`<a onclick="${'alert(1)'}">`).toThrow(/event-handler/);
    expect(() => html`<a href="${'javascript:alert(1)'}">`).toThrow(/same-origin/);
    expect(() => html`<a href="${'//evil.example/'}">`).toThrow(/same-origin/);
    expect(() => html`<img src="${'https://evil.example/x.png'}">`).toThrow(/same-origin/);
    expect(html`<a href="${'/admin/people/a%22b'}">`.toString()).toBe('<a href="/admin/people/a%22b">');
    expect(html`<a href="${'?q=1&x=2'}">`.toString()).toBe('<a href="?q=1&amp;x=2">');
  });

  it('cannot be handed markup as a plain value: objects are refused, strings escaped', () => {
    const forged = { toString: () => '<script>alert(1)</script>' };
    // @ts-expect-error: only text, numbers and html`` results may be interpolated.
    expect(() => html`<p>${forged}</p>`).toThrow(/cannot interpolate/);
  });
});
