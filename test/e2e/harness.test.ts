// Self-tests of the e2e harness: the browser guards catch what they must, and the PNG reader reads real
// Chromium screenshots correctly. If these fail, no other e2e result can be trusted.
import { describe, expect, test } from 'vitest';
import { isOffOrigin, useBrowser } from './browser';
import { waitFor } from './catalog-data';
import { decodePng, distinctColours, dominantColour, shareChanged, shareUnlike } from './png';

const session = useBrowser();

describe('browser guards', () => {
  test('an off-origin request is detected with its URL', async () => {
    const page = await session.newPage();
    await page.setContent('<p>guard self-test</p>');
    // Loopback only: 127.0.0.2:9 is the discard port on this machine, never a real host.
    await page.evaluate(() => fetch('http://127.0.0.2:9/x').catch(() => undefined));
    const seen = await waitFor(
      'the off-origin request to be recorded',
      async () => session.takeViolations(),
      (v) => v.some((line) => line.includes('http://127.0.0.2:9/x')),
      10_000,
    );
    expect(seen.find((line) => line.startsWith('off-origin request:'))).toBe(
      'off-origin request: http://127.0.0.2:9/x',
    );
    // Let late events (the failed load's console message) arrive, then forget them: they were provoked here.
    await page.waitForTimeout(300);
    session.takeViolations();
  });

  test('a console.error fails the check, with its text', async () => {
    const page = await session.newPage();
    await page.goto('/api/v1/health');
    await page.evaluate(() => console.error('guard self-test 4217'));
    const seen = await waitFor(
      'the console error to be recorded',
      async () => session.takeViolations(),
      (v) => v.length > 0,
      10_000,
    );
    expect(seen.join('\n')).toContain('console.error: guard self-test 4217');
    await page.evaluate(() => console.error('guard self-test 4218'));
    await page.waitForTimeout(300);
    expect(() => session.assertNoViolations()).toThrow(/guard self-test 4218/);
    expect(() => session.assertNoViolations()).not.toThrow();
  });

  test('an uncaught page error is detected', async () => {
    const page = await session.newPage();
    await page.goto('/api/v1/health');
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('guard self-test uncaught');
      }, 0);
    });
    await waitFor(
      'the page error to be recorded',
      async () => session.takeViolations(),
      (v) => v.some((line) => line.startsWith('page error: guard self-test uncaught')),
      10_000,
    );
  });

  test('same-origin, data: and blob: loads are not violations', async () => {
    const page = await session.newPage();
    await page.goto('/api/v1/health');
    await page.evaluate(async () => {
      await fetch('/api/v1/health');
      await fetch('data:text/plain,hi');
      await fetch(URL.createObjectURL(new Blob(['x'])));
    });
    await page.waitForTimeout(300);
    expect(session.takeViolations()).toEqual([]);
    expect(isOffOrigin('http://127.0.0.1:1/a', 'http://127.0.0.1:2')).toBe(true);
    expect(isOffOrigin('https://127.0.0.1:2/a', 'http://127.0.0.1:2')).toBe(true);
    expect(isOffOrigin('http://127.0.0.1:2/a?b', 'http://127.0.0.1:2')).toBe(false);
  });
});

describe('PNG reader', () => {
  test('reads the colours of a real element screenshot', async () => {
    const page = await session.newPage();
    await page.setContent(
      '<div id="box" style="display:flex;width:120px;height:40px">' +
        '<div style="width:90px;background:rgb(200,30,60)"></div><div style="width:30px;background:rgb(10,220,90)"></div>' +
        '</div>',
    );
    const box = page.locator('#box');
    const image = decodePng(await box.screenshot());
    expect([image.width, image.height]).toEqual([120, 40]);
    expect(distinctColours(image)).toBe(2);
    expect(dominantColour(image)).toEqual([200, 30, 60]);
    expect(shareUnlike(image, [200, 30, 60])).toBeCloseTo(0.25, 2);
    const first = image.data.slice(0, 4);
    expect([...first]).toEqual([200, 30, 60, 255]);

    await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('#box > div');
      if (el) el.style.width = '60px';
    });
    const after = decodePng(await box.screenshot());
    // Columns 60–90 turn from red to green, 90–120 from green to the white page.
    expect(shareChanged(image, after)).toBeCloseTo(0.5, 2);
  });
});
