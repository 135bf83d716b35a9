"""Every logged-in page of every role on a phone: no sideways scroll of the page, tables that
reflow, a header that fits.

The pages are the accessibility sweep's (tests/browser/test_accessibility.py builds them with
its demo data), minus the visitor's: partner pages have their own phone tests.
"""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import sign_in, world  # noqa: F401  (world is a fixture)

PHONES = {"360x740": {"width": 360, "height": 740}, "390x844": {"width": 390, "height": 844}}

# What stands out past the right edge of the window, to name the culprit when a page scrolls
# sideways; and how each data table reflows (see static/css/app.css "Tables on a phone").
LAYOUT = """(width) => {
  const past = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      // Only the outermost culprit: its children follow it out.
      if (!past.some(p => p.contains(el))) past.push(el);
    }
  }
  const tables = [...document.querySelectorAll('main table.data')].map(t => {
    const style = getComputedStyle(t);
    const stacked = t.classList.contains('stack');
    const cells = [...t.querySelectorAll('tbody td, tbody th')];
    return {
      stacked,
      frame: style.overflowX === 'auto',
      scrolls: t.scrollWidth > t.clientWidth,
      focusable: t.tabIndex >= 0 || !!t.querySelector('a, button, input'),
      labelled: !!t.querySelector('caption') || t.hasAttribute('aria-label') || t.hasAttribute('aria-labelledby'),
      rowsAsBlocks: !stacked || cells.every(c => getComputedStyle(c).display === 'block'),
      unlabelledCells: stacked ? cells.filter(c => !c.hasAttribute('data-label') && !c.hasAttribute('colspan')
                                                  && c.getAttribute('scope') !== 'row').length : 0,
      right: t.getBoundingClientRect().right,
    };
  });
  // The retreat mode has no site header: it is a full-screen slide show.
  const header = document.querySelector('.site-header');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    headerHeight: header ? header.getBoundingClientRect().height : 0,
    past: past.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : '')
                                  + ' right=' + Math.round(el.getBoundingClientRect().right)),
    tables,
  };
}"""


@pytest.mark.parametrize("phone_size", list(PHONES))
def test_logged_in_pages_fit_a_phone(world, live_server, browser, phone_size):  # noqa: F811
    viewport = PHONES[phone_size]
    problems, visited = [], 0
    for role in ("coordinator", "funder", "admin"):
        # English: its words are longer in places (e-mail, headings) and French has the
        # longest ones elsewhere; each language is read at one of the two sizes.
        lang = "en" if phone_size == "360x740" else "fr"
        context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, live_server, role)
        for target in (p for p in world if p.role == role):
            url = f"{live_server}{target.path}{'&' if '?' in target.path else '?'}lang={lang}"
            response = page.goto(url, wait_until="load")
            assert response.status == target.status, target.path
            visited += 1
            where = f"{target.path} [{role}, {phone_size}, {lang}]"
            found = page.evaluate(LAYOUT, viewport["width"])
            # On a mobile viewport Chrome zooms out to show a page that is too wide, and
            # window.innerWidth grows with it: compare with the phone's own width as well.
            if found["scrollWidth"] > min(found["innerWidth"], viewport["width"]):
                problems.append(f"{where}: the page scrolls sideways ({found['scrollWidth']} px in "
                                f"{viewport['width']} px); past the edge: {found['past']}")
            # The header and its navigation take at most a quarter of the screen.
            if found["headerHeight"] > viewport["height"] / 4:
                problems.append(f"{where}: the header is {found['headerHeight']:.0f} px high")
            for number, table in enumerate(found["tables"], 1):
                name = f"{where} table {number}"
                if table["stacked"]:
                    if not table["rowsAsBlocks"]:
                        problems.append(f"{name}: marked to stack but its cells are not stacked")
                    if table["unlabelledCells"]:
                        problems.append(f"{name}: {table['unlabelledCells']} stacked cells without data-label")
                elif table["scrolls"]:
                    # A table wider than the screen scrolls in its own frame, which a keyboard
                    # can reach and a screen reader can name.
                    if not table["frame"]:
                        problems.append(f"{name}: wider than the screen and not in a scrolling frame")
                    if not table["focusable"]:
                        problems.append(f"{name}: scrolls but cannot be reached with the keyboard")
                    if not table["labelled"]:
                        problems.append(f"{name}: scrolls but has no caption or label")
        context.close()
    assert visited == sum(1 for p in world if p.role != "visitor")
    assert not problems, f"{len(problems)} phone layout problems:\n" + "\n".join(problems)
