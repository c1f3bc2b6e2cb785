// The demo's HR workload: a small company (Engineering, Sales, Support) hired, changed, reorganised, partly let go
// and partly rehired, as an HR system would report it. Every id and e-mail carries the run's tag, so the demo can
// run again against the same stack.

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Margaret',
  'Ken',
  'Radia',
  'Dennis',
  'Hedy',
  'Linus',
  'Sophie',
  'Tim',
  'Katherine',
  'Niklaus',
  'Shafi',
  'Leslie',
  'Anita',
  'Bjarne',
  'Joan',
  'Guido',
  'Lynn',
  'James',
  'Mary',
  'Robin',
  'Carol',
  'Whitfield',
  'Evelyn',
  'Ivan',
  'Jean',
  'Butler',
  'Adele',
  'Vint',
  'Elaine',
  'Brian',
  'Susan',
  'Jon',
  'Marian',
  'Peter',
  'Ida',
  'Tony',
  'Kathleen',
  'Ole',
  'Irene',
  'Rasmus',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Backus',
  'Hamilton',
  'Thompson',
  'Perlman',
  'Ritchie',
  'Lamarr',
  'Torvalds',
  'Wilson',
  'Berners-Lee',
  'Johnson',
  'Wirth',
  'Goldwasser',
  'Lamport',
  'Borg',
  'Stroustrup',
  'Clarke',
  'van Rossum',
  'Conway',
  'Gosling',
  'Keller',
  'Milner',
  'Shaw',
  'Diffie',
  'Boyd',
  'Sutherland',
  'Sammet',
  'Lampson',
  'Goldberg',
  'Cerf',
  'Rich',
  'Kernighan',
  'Kare',
  'Bentley',
  'Croak',
  'Naur',
  'Rhodes',
  'Hoare',
  'Booth',
  'Dahl',
  'Greif',
  'Lerdorf',
];

/** Turns a name into the local part of an e-mail address. */
function slug(text) {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '')
    .toLowerCase();
}

/**
 * The people and the phases of the demo. `tag` makes ids and e-mails unique to this run.
 * @param {string} tag
 */
export function buildWorkload(tag) {
  let nameIndex = 0;
  let eventIndex = 0;
  /** @type {Map<string, Record<string, unknown>>} */
  const people = new Map();

  const newEventId = (what) => `${tag}-evt-${String(++eventIndex).padStart(3, '0')}-${what}`;
  // occurredAt is stamped when the event is sent (see demo.mjs), as an HR system would.
  const event = (type, record) => ({
    id: newEventId(type.split('.')[1]),
    event: type,
    data: structuredClone(record),
  });

  function person(code, fields) {
    const firstName = FIRST[nameIndex % FIRST.length];
    const lastName = LAST[nameIndex % LAST.length];
    nameIndex += 1;
    const record = {
      externalId: `${tag}-${code}`,
      firstName,
      lastName,
      workEmail: `${slug(firstName)}.${slug(lastName)}.${tag}@example.com`,
      title: null,
      departmentCode: null,
      level: 'IC2',
      costCenter: null,
      hireDate: new Date().toISOString().slice(0, 10),
      role: null,
      phone: `+1415555${String(1000 + nameIndex).slice(-4)}`,
      managerExternalId: null,
      division: 'Home',
      ...fields,
    };
    people.set(record.externalId, record);
    return record;
  }

  // Heads of department: no manager of their own.
  const heads = {
    eng: person('E100', {
      title: 'VP Engineering',
      departmentCode: 'Engineering',
      level: 'VP',
      costCenter: 'CC-100',
      role: 'admin',
    }),
    sales: person('S100', {
      title: 'VP Sales',
      departmentCode: 'Sales',
      level: 'VP',
      costCenter: 'CC-200',
      role: 'supervisor',
    }),
    support: person('T100', {
      title: 'Head of Support',
      departmentCode: 'Support',
      level: 'Director',
      costCenter: 'CC-300',
      role: 'supervisor',
    }),
  };
  // Team leads: their records reach dirsync only after those of their teams.
  const leads = {
    platform: person('E200', {
      title: 'Engineering Manager, Platform',
      departmentCode: 'Engineering',
      level: 'M1',
      costCenter: 'CC-110',
      role: 'supervisor',
      managerExternalId: heads.eng.externalId,
    }),
    apps: person('E300', {
      title: 'Engineering Manager, Apps',
      departmentCode: 'Engineering',
      level: 'M1',
      costCenter: 'CC-120',
      role: 'supervisor',
      managerExternalId: heads.eng.externalId,
    }),
    sales: person('S200', {
      title: 'Sales Manager, EMEA',
      departmentCode: 'Sales',
      level: 'M1',
      costCenter: 'CC-210',
      role: 'supervisor',
      managerExternalId: heads.sales.externalId,
    }),
    support: person('T200', {
      title: 'Support Team Lead',
      departmentCode: 'Support',
      level: 'M1',
      costCenter: 'CC-310',
      role: 'supervisor',
      managerExternalId: heads.support.externalId,
    }),
  };

  const team = (prefix, count, lead, fields) =>
    Array.from({ length: count }, (_, i) =>
      person(`${prefix}${String(i + 1).padStart(2, '0')}`, {
        managerExternalId: lead.externalId,
        ...fields(i),
      }),
    );
  const engineers = [
    ...team('E2', 8, leads.platform, (i) => ({
      title: i < 2 ? 'Site Reliability Engineer' : 'Platform Engineer',
      departmentCode: 'Engineering',
      costCenter: 'CC-110',
      // Two SREs administer the contact centre: Engineering may hold admin.
      role: i < 2 ? 'admin' : null,
    })),
    ...team('E3', 8, leads.apps, (i) => ({
      title: i % 3 === 0 ? 'Senior Software Engineer' : 'Software Engineer',
      departmentCode: 'Engineering',
      level: i % 3 === 0 ? 'IC3' : 'IC2',
      costCenter: 'CC-120',
    })),
  ];
  const sellers = team('S2', 12, leads.sales, (i) => ({
    title: i < 4 ? 'Account Executive' : 'Sales Development Representative',
    departmentCode: 'Sales',
    costCenter: 'CC-210',
    role: 'agent',
  }));
  // HR asks for a role Sales may not hold: the policy blocks this person before anything is written.
  const overreach = sellers[11];
  overreach.title = 'Sales Operations Analyst';
  overreach.role = 'admin';
  const supporters = team('T2', 12, leads.support, (i) => ({
    title: i < 3 ? 'Senior Support Engineer' : 'Support Engineer',
    departmentCode: 'Support',
    costCenter: 'CC-310',
    role: 'agent',
  }));
  // A contractor without a work e-mail: out of the mapping's scope, so skipped.
  const contractor = person('C001', {
    title: 'Contract Technical Writer',
    departmentCode: 'Engineering',
    level: null,
    workEmail: null,
    role: null,
    managerExternalId: leads.apps.externalId,
  });
  const reports = [...engineers, ...sellers, ...supporters];

  // ---- Day 1: hires. Two batches of individual contributors, then the heads one by one. ----
  const hires1 = [...engineers, ...sellers.slice(0, 4)].map((p) => event('user.created', p));
  const hires2 = [...sellers.slice(4), ...supporters, contractor].map((p) => event('user.created', p));
  const headHires = Object.values(heads).map((p) => event('user.created', p));

  // ---- Day 1, later: the team leads' records arrive, after their teams'. ----
  const leadHires = Object.values(leads).map((p) => event('user.created', p));

  // ---- Day 2: changes. ----
  const changed = [];
  const update = (p, fields) => {
    Object.assign(p, fields);
    changed.push(p.externalId);
    return event('user.updated', p);
  };
  const titleAndPhone = [
    update(engineers[2], { title: 'Senior Platform Engineer', level: 'IC3' }),
    update(engineers[3], { phone: '+14155559003' }),
    update(engineers[9], { title: 'Staff Software Engineer', level: 'IC4' }),
    update(engineers[10], { phone: '+14155559010' }),
    update(sellers[4], { title: 'Account Executive', phone: '+14155559104' }),
    update(sellers[5], { phone: '+14155559105' }),
    update(supporters[3], { title: 'Support Engineer II' }),
    update(supporters[4], { phone: '+14155559204' }),
    update(supporters[5], { title: 'Support Engineer II', phone: '+14155559205' }),
    update(engineers[12], { title: 'Software Engineer II' }),
  ];
  // Reorg: three support engineers move to Sales as customer success managers and become supervisors.
  const reorg = [supporters[6], supporters[7], supporters[8]].map((p) =>
    update(p, {
      departmentCode: 'Sales',
      title: 'Customer Success Manager',
      costCenter: 'CC-220',
      role: 'supervisor',
      managerExternalId: leads.sales.externalId,
    }),
  );
  // The support lead's title changes with the reorg.
  reorg.push(update(leads.support, { title: 'Support & Escalations Lead' }));

  const leavers = [engineers[14], sellers[8], supporters[11]];
  // A termination carries only the id: the last full record stays as it was.
  const terminations = leavers.map((p) => ({
    id: newEventId('deactivated'),
    event: 'user.deactivated',
    data: { externalId: p.externalId },
  }));

  // A promotion delivered twice: the HR system retries after a timeout, same event id.
  const promoted = engineers[5];
  const promotion = update(promoted, { title: 'Senior Platform Engineer', level: 'IC3' });

  // Out of order: the newer change arrives first, then an older one that must change nothing.
  const reordered = supporters[1];
  const newerTitle = 'Support Engineering Manager';
  const olderTitle = 'Support Engineer III';
  const newer = update(reordered, { title: newerTitle, level: 'M1', role: 'supervisor' });
  // Its occurredAt is set an hour before the newer one's when it is sent.
  const older = {
    id: newEventId('updated-late'),
    event: 'user.updated',
    data: { ...structuredClone(reordered), title: olderTitle, level: 'IC3', role: 'agent' },
  };

  // ---- Day 3: one leaver comes back. ----
  const rehired = leavers[1];
  Object.assign(rehired, {
    title: 'Senior Account Executive',
    hireDate: new Date().toISOString().slice(0, 10),
  });
  const rehire = event('user.reactivated', rehired);

  return {
    tag,
    people,
    heads,
    leads,
    reports,
    overreach,
    contractor,
    leavers,
    rehired,
    promoted,
    promotion,
    reordered,
    newer,
    older,
    newerTitle,
    olderTitle,
    changed,
    batches: { hires1, hires2, headHires, leadHires, titleAndPhone, reorg, terminations, rehire },
  };
}

/** A person's display name. */
export function nameOf(record) {
  return [record.firstName, record.lastName].filter(Boolean).join(' ') || String(record.externalId);
}
