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

/** One person as the HR system sends them (null: the field is empty in HR). */
export interface HrRecord {
  externalId: string;
  firstName?: string;
  lastName?: string;
  workEmail?: string | null;
  title?: string | null;
  departmentCode?: string | null;
  level?: string | null;
  costCenter?: string | null;
  hireDate?: string;
  role?: string | null;
  phone?: string;
  managerExternalId?: string | null;
  division?: string;
  mobilePhone?: string;
  /** Genesys group names (the policy manages which ones dirsync joins and leaves). */
  groups?: string[];
  skills?: Array<{ name: string; proficiency: number }>;
}

export type HrEventType = 'user.created' | 'user.updated' | 'user.deactivated' | 'user.reactivated';

export interface HrEvent {
  id: string;
  event: HrEventType;
  /** Stamped when the event is sent, as an HR system would. */
  occurredAt?: string;
  data: HrRecord;
}

/** The element at `index`, which the workload knows is there. */
function pick<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`the workload has no element ${index}`);
  return item;
}

/** Turns a name into the local part of an e-mail address. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '')
    .toLowerCase();
}

export type Workload = ReturnType<typeof buildWorkload>;

/** The people and the phases of the demo. `tag` makes ids and e-mails unique to this run. */
export function buildWorkload(tag: string) {
  let nameIndex = 0;
  let eventIndex = 0;
  const people = new Map<string, HrRecord>();

  const newEventId = (what: string) => `${tag}-evt-${String(++eventIndex).padStart(3, '0')}-${what}`;
  // occurredAt is stamped when the event is sent (see demo.ts), as an HR system would.
  const event = (type: HrEventType, record: HrRecord): HrEvent => ({
    id: newEventId(type.split('.')[1] ?? type),
    event: type,
    data: structuredClone(record),
  });

  function person(code: string, fields: Partial<HrRecord>): HrRecord {
    const firstName = pick(FIRST, nameIndex % FIRST.length);
    const lastName = pick(LAST, nameIndex % LAST.length);
    nameIndex += 1;
    const record: HrRecord = {
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

  const team = (prefix: string, count: number, lead: HrRecord, fields: (i: number) => Partial<HrRecord>) =>
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
  const overreach = pick(sellers, 11);
  overreach.title = 'Sales Operations Analyst';
  overreach.role = 'admin';
  const supporters = team('T2', 12, leads.support, (i) => ({
    title: i < 3 ? 'Senior Support Engineer' : 'Support Engineer',
    departmentCode: 'Support',
    costCenter: 'CC-310',
    role: 'agent',
    groups: ['Support'],
  }));
  // A new contact-centre agent: a queue group, two routing skills and a mobile phone, ready on day one.
  const agent = person('A001', {
    title: 'Support Agent',
    departmentCode: 'Support',
    costCenter: 'CC-310',
    role: 'agent',
    mobilePhone: '+14155559301',
    groups: ['Support', 'Tier 2 Queue'],
    skills: [
      { name: 'Technical Support', proficiency: 4 },
      { name: 'Tier 2', proficiency: 3 },
    ],
    managerExternalId: leads.support.externalId,
  });
  // A contractor without a work e-mail: out of the mapping's scope, so skipped.
  const contractor = person('C001', {
    title: 'Contract Technical Writer',
    departmentCode: 'Engineering',
    level: null,
    workEmail: null,
    role: null,
    managerExternalId: leads.apps.externalId,
  });
  const reports = [...engineers, ...sellers, ...supporters, agent];

  // ---- Day 1: hires. Two batches of individual contributors, then the heads one by one. ----
  const hires1 = [...engineers, ...sellers.slice(0, 4)].map((p) => event('user.created', p));
  const hires2 = [...sellers.slice(4), ...supporters, agent, contractor].map((p) => event('user.created', p));
  const headHires = Object.values(heads).map((p) => event('user.created', p));

  // ---- Day 1, later: the team leads' records arrive, after their teams'. ----
  const leadHires = Object.values(leads).map((p) => event('user.created', p));

  // ---- Day 2: changes. ----
  const changed: string[] = [];
  const update = (p: HrRecord, fields: Partial<HrRecord>) => {
    Object.assign(p, fields);
    changed.push(p.externalId);
    return event('user.updated', p);
  };
  const titleAndPhone = [
    update(pick(engineers, 2), { title: 'Senior Platform Engineer', level: 'IC3' }),
    update(pick(engineers, 3), { phone: '+14155559003' }),
    update(pick(engineers, 9), { title: 'Staff Software Engineer', level: 'IC4' }),
    update(pick(engineers, 10), { phone: '+14155559010' }),
    update(pick(sellers, 4), { title: 'Account Executive', phone: '+14155559104' }),
    update(pick(sellers, 5), { phone: '+14155559105' }),
    update(pick(supporters, 3), { title: 'Support Engineer II' }),
    update(pick(supporters, 4), { phone: '+14155559204' }),
    update(pick(supporters, 5), { title: 'Support Engineer II', phone: '+14155559205' }),
    update(pick(engineers, 12), { title: 'Software Engineer II' }),
  ];
  // Reorg: three support engineers move to Sales as customer success managers and become supervisors; they
  // leave the Support group and join Sales (both managed groups).
  const reorg = [pick(supporters, 6), pick(supporters, 7), pick(supporters, 8)].map((p) =>
    update(p, {
      departmentCode: 'Sales',
      groups: ['Sales'],
      title: 'Customer Success Manager',
      costCenter: 'CC-220',
      role: 'supervisor',
      managerExternalId: leads.sales.externalId,
    }),
  );
  // The support lead's title changes with the reorg.
  reorg.push(update(leads.support, { title: 'Support & Escalations Lead' }));

  const leavers = [pick(engineers, 14), pick(sellers, 8), pick(supporters, 11)];
  // A termination carries only the id: the last full record stays as it was.
  const terminations = leavers.map(
    (p): HrEvent => ({
      id: newEventId('deactivated'),
      event: 'user.deactivated',
      data: { externalId: p.externalId },
    }),
  );

  // A promotion delivered twice: the HR system retries after a timeout, same event id.
  const promoted = pick(engineers, 5);
  const promotion = update(promoted, { title: 'Senior Platform Engineer', level: 'IC3' });

  // Out of order: the newer change arrives first, then an older one that must change nothing.
  const reordered = pick(supporters, 1);
  const newerTitle = 'Support Engineering Manager';
  const olderTitle = 'Support Engineer III';
  const newer = update(reordered, { title: newerTitle, level: 'M1', role: 'supervisor' });
  // Its occurredAt is set an hour before the newer one's when it is sent.
  const older: HrEvent = {
    id: newEventId('updated-late'),
    event: 'user.updated',
    data: { ...structuredClone(reordered), title: olderTitle, level: 'IC3', role: 'agent' },
  };

  // ---- Day 3: one leaver comes back. ----
  const rehired = pick(leavers, 1);
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
    agent,
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
export function nameOf(record: Pick<HrRecord, 'externalId' | 'firstName' | 'lastName'>): string {
  return [record.firstName, record.lastName].filter(Boolean).join(' ') || String(record.externalId);
}
