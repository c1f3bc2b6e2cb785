import { describe, expect, it } from 'vitest';
import { removeOutsideLinks } from './board-page-links.js';

describe('removeOutsideLinks', () => {
  it("takes out links to other origins and keeps the page's own", () => {
    const html = [
      '<head>',
      '<link rel="icon" href="static/images/logo.svg">',
      '    <link href="https://fonts.googleapis.com/css2?family=IBM+Plex+Sans" rel="stylesheet">',
      "<link rel='preconnect' href='//fonts.gstatic.com'>",
      '<link href="static/css/main.css" rel="stylesheet"></head>',
    ].join('\n');
    expect(removeOutsideLinks(html)).toBe(
      [
        '<head>',
        '<link rel="icon" href="static/images/logo.svg">',
        '    <link href="static/css/main.css" rel="stylesheet"></head>',
      ].join('\n'),
    );
  });

  it('leaves a page without outside links as it was', () => {
    const html = '<a href="https://example.com/docs">docs</a><link href="/admin/x.css" rel="stylesheet">';
    expect(removeOutsideLinks(html)).toBe(html);
  });
});
