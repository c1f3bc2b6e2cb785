import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeWithChromium, openWatchedPage } from '@dirsync/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, Cluster, hr, stopAndCheck } from './cluster.js';

const XSS = '<img src=x onerror=alert(1)>';

/** A person as the console's JSON twin shows them. */
interface PersonJson {
  timeline: Array<{ kind: string; code?: string }>;
}

describeWithChromium('Operator console in a real browser', (chromium) => {
  let cluster: Cluster | undefined;
  const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-console-e2e-'));
  const snapshot = path.join(snapshotDir, 'hr.json');
  const maria = hr('CON-1', {
    firstName: 'Maria',
    lastName: 'Kowalski',
    workEmail: 'maria.kowalski@example.org',
  });

  const personJson = async (externalId: string): Promise<PersonJson> => {
    const res = await (cluster as Cluster).admin(`/admin/people/${encodeURIComponent(externalId)}`);
    expect(res.status).toBe(200);
    return (await res.json()) as PersonJson;
  };
  const open = () =>
    openWatchedPage(chromium.browser(), {
      httpCredentials: { username: ADMIN.user, password: ADMIN.password },
    });

  beforeAll(async () => {
    fs.writeFileSync(snapshot, '[]');
    cluster = await Cluster.start({
      workers: 1,
      apiEnv: { HR_SNAPSHOT: snapshot },
      workerEnv: { HR_SNAPSHOT: snapshot },
    });
    const c = cluster;
    // A create, an update, then a role the policy refuses in Sales: the story an operator comes to read.
    expect((await c.send({ event: 'user.created', data: maria })).status).toBe(202);
    await c.drained(60_000);
    expect((await c.send({ event: 'user.updated', data: { ...maria, title: 'Senior Agent' } })).status).toBe(
      202,
    );
    await c.drained(60_000);
    const denied = { ...maria, title: 'Senior Agent', departmentCode: 'Sales', role: 'admin' };
    expect((await c.send({ event: 'user.updated', data: denied })).status).toBe(202);
    expect((await c.send({ event: 'user.created', data: hr('CON-X', { firstName: XSS }) })).status).toBe(202);
    await c.drained(60_000);
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
    fs.rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('finds a person by name and shows their timeline: events, syncs with their requests, the policy failure', async () => {
    const c = cluster as Cluster;
    const { page, problems, close } = await open();
    try {
      await page.goto(`${c.apiUrl}/admin/people`);
      await page.locator('#q').fill('kowal');
      await page.locator('[data-testid=search-submit]').click();
      const row = page.locator('tr[data-testid=search-result][data-external-id="CON-1"]');
      await row.getByRole('link').first().click();
      await page.locator('[data-testid=person-title]').waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/people/CON-1');

      expect(await page.locator('[data-testid=timeline-entry][data-kind=event]').count()).toBe(3);
      const syncs = page.locator('[data-testid=timeline-entry][data-kind=sync]');
      expect(await syncs.count()).toBeGreaterThanOrEqual(2);
      // The create's requests: a lookup and the POST, each with its status and correlation ids.
      const requests = await page.locator('[data-testid=timeline-request]').allInnerTexts();
      expect(requests.some((r) => /POST/.test(r) && /\/Users/.test(r) && /201/.test(r))).toBe(true);
      expect(requests.some((r) => /PATCH/.test(r))).toBe(true);
      const failure = page.locator('[data-testid=timeline-entry][data-kind=failed]');
      expect(await failure.count()).toBeGreaterThanOrEqual(1);
      expect(await failure.first().textContent()).toContain('policy_violation');
      expect(problems).toEqual({ cspViolations: [], pageErrors: [], consoleErrors: [] });
    } finally {
      await close();
    }
  });

  it('re-sync now: the button queues a sync and the timeline grows on the page', async () => {
    const c = cluster as Cluster;
    const before = (await personJson('CON-1')).timeline.length;
    const { page, problems, close } = await open();
    try {
      await page.goto(`${c.apiUrl}/admin/people/CON-1`);
      await page.locator('html[data-console="ready"]').waitFor();
      const entries = page.locator('[data-testid=timeline-entry]');
      const shown = await entries.count();
      await page.locator('[data-testid=resync]').click();
      await page
        .locator('[data-testid=timeline-entry][data-kind=resync]')
        .first()
        .waitFor({ timeout: 60_000 });
      await expect.poll(() => entries.count(), { timeout: 60_000 }).toBeGreaterThan(shown);
      await c.drained(60_000);
      expect((await personJson('CON-1')).timeline.length).toBeGreaterThan(before);
      expect(problems).toEqual({ cspViolations: [], pageErrors: [], consoleErrors: [] });
    } finally {
      await close();
    }
  });

  it('an HR name that is markup renders as text and runs nothing', async () => {
    const c = cluster as Cluster;
    const { page, problems, close } = await open();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(`${c.apiUrl}/admin/people/CON-X`);
      await page.locator('[data-testid=hr-data]').waitFor();
      expect(await page.locator('[data-testid=hr-data]').textContent()).toContain(XSS);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      await page.goto(`${c.apiUrl}/admin/people?q=${encodeURIComponent(XSS)}`);
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('#q').inputValue()).toBe(XSS);
      expect(dialogs).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a dry-run reconcile from the reports page, then its report: drift by type with a link to the person', async () => {
    const c = cluster as Cluster;
    // HR's snapshot says Maria's title is something else than what Genesys holds.
    fs.writeFileSync(
      snapshot,
      JSON.stringify([{ ...maria, title: 'Team Lead' }, hr('CON-X', { firstName: XSS })]),
    );
    const { page, problems, close } = await open();
    try {
      await page.goto(`${c.apiUrl}/admin/reports`);
      await page.locator('html[data-console="ready"]').waitFor();
      await page.locator('[data-testid=reconcile-dry-run]').click();
      const status = page.locator('[data-testid=console-status]');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('ok');
      const reconcileRow = page.locator('tr[data-testid=report-row]', { hasText: 'reconcile' });
      await expect
        .poll(
          async () => {
            await page.reload();
            return reconcileRow.count();
          },
          { timeout: 60_000 },
        )
        .toBeGreaterThan(0);
      await reconcileRow.first().getByRole('link').first().click();
      const drift = page.locator('[data-testid=drift-group][data-type=attribute_drift]');
      await drift.waitFor();
      await drift.getByRole('link', { name: 'CON-1' }).first().click();
      await page.locator('[data-testid=timeline-entry][data-kind=reconcile]').first().waitFor();
      expect(problems).toEqual({ cspViolations: [], pageErrors: [], consoleErrors: [] });
    } finally {
      await close();
    }
  });

  it('a button pressed from another site is refused (403) and changes nothing', async () => {
    const c = cluster as Cluster;
    const before = (await personJson('CON-1')).timeline.filter((e) => e.kind === 'resync').length;
    // Another site the operator visits while signed in to the console.
    const evil = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const { page, close } = await open();
    try {
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const target = `${c.apiUrl}/admin/people/CON-1/resync`;
      // A form-like no-cors POST (the only kind another site can make a browser send with the stored credentials).
      await page.evaluate(async (url) => {
        await fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: '{}',
        }).catch(() => undefined);
      }, target);
      // The same request as JSON with the browser's Origin of that site, sent by the browser's own HTTP stack.
      const forged = await page.context().request.post(target, {
        headers: { origin: page.url().replace(/\/$/, ''), 'sec-fetch-site': 'cross-site' },
        data: {},
      });
      expect(forged.status()).toBe(403);
      expect((await forged.json()).error.code).toBe('cross_site_request');
      const after = (await personJson('CON-1')).timeline.filter((e) => e.kind === 'resync').length;
      expect(after).toBe(before);
    } finally {
      await close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });
});
