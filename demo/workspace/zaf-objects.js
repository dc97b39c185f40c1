// The objects ZAF `get` hands an app, built from the REST records the workspace loaded.
// ZAF does not pass REST objects through: its Ticket, User, Organization, Group and
// TimeZone objects have their own camelCase members (`avatarUrl`, `externalId`,
// `timeZone.ianaName`, `assignee.user`, `customField:<key>`), and a user's custom fields
// sit on the user as `customField:<field key>` where REST nests them in `user_fields`.
// Where the member list was read: docs/zaf.md, "What the demo's simulated Zendesk follows".
// Pure functions: used by the workspace page and by the Node tests.

/** "GMT+01:00" and minutes east of UTC for an IANA zone at `at`, from the runtime's tz data. */
function offsetOf(ianaName, at) {
  const label = new Intl.DateTimeFormat('en-US', { timeZone: ianaName, timeZoneName: 'shortOffset' })
    .formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(label);
  const minutes = match?.[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const rest = String(Math.abs(minutes) % 60).padStart(2, '0');
  return { offset: minutes, formattedOffset: `GMT${minutes < 0 ? '-' : '+'}${hours}:${rest}` };
}

/** The TimeZone object: REST's `time_zone` is its display name, `iana_time_zone` its ianaName. */
export function zafTimeZone(name, ianaName, at = new Date()) {
  return { name, ianaName, ...offsetOf(ianaName, at) };
}

export function zafGroup(group) {
  return { id: group.id, name: group.name };
}

function customFields(fields) {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([key, value]) => [`customField:${key}`, value]));
}

/**
 * @param {object} org a REST organization
 * @param {Map<number, object>} groupsById REST groups
 */
export function zafOrganization(org, groupsById = new Map()) {
  const group = org.group_id ? groupsById.get(org.group_id) : undefined;
  return {
    id: org.id,
    name: org.name,
    externalId: org.external_id,
    details: org.details,
    notes: org.notes,
    domains: org.domain_names.join(' '),
    group: group ? zafGroup(group) : null,
    sharedTickets: org.shared_tickets,
    sharedComments: org.shared_comments,
    tags: org.tags,
    ...customFields(org.organization_fields),
  };
}

/**
 * @param {object} user a REST user
 * @param {{ organizations: Map<number, object>, groups: Map<number, object>, memberships?: number[] }} related
 *   the account's organizations and groups by id, and the ids of the groups the user is in
 */
export function zafUser(user, related) {
  const identities = [{ id: user.id * 10 + 1, type: 'email', value: user.email, verified: user.verified, primary: true }];
  if (user.phone) identities.push({ id: user.id * 10 + 2, type: 'phone_number', value: user.phone, verified: false, primary: false });
  const organization = user.organization_id ? related.organizations.get(user.organization_id) : undefined;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    alias: user.alias,
    avatarUrl: user.photo?.content_url ?? null,
    details: user.details,
    notes: user.notes,
    externalId: user.external_id,
    locale: user.locale,
    role: user.role,
    signature: user.signature ?? '',
    tags: user.tags,
    timeZone: zafTimeZone(user.time_zone, user.iana_time_zone),
    identities,
    groups: (related.memberships ?? []).map((id) => related.groups.get(id)).filter(Boolean).map(zafGroup),
    organizations: organization ? [zafOrganization(organization, related.groups)] : [],
    ...customFields(user.user_fields),
  };
}

/**
 * The Ticket object of the ticket on screen.
 * @param {object} ticket a REST ticket
 * @param {{ users: Map<number, object>, organizations: Map<number, object>, groups: Map<number, object>,
 *           memberships: (userId: number) => number[] }} related
 */
export function zafTicket(ticket, related) {
  const user = (id) => {
    const record = related.users.get(id);
    return record ? zafUser(record, { ...related, memberships: related.memberships(id) }) : null;
  };
  const organization = ticket.organization_id ? related.organizations.get(ticket.organization_id) : undefined;
  const group = ticket.group_id ? related.groups.get(ticket.group_id) : undefined;
  const out = {
    id: ticket.id,
    subject: ticket.subject,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    tags: ticket.tags,
    externalId: ticket.external_id,
    recipient: ticket.recipient,
    createdAt: ticket.created_at,
    updatedAt: ticket.updated_at,
    isNew: false,
    via: { channel: ticket.via.channel, source: ticket.via.source },
    brand: { id: ticket.brand_id },
    requester: user(ticket.requester_id),
    assignee: { user: user(ticket.assignee_id), group: group ? zafGroup(group) : null },
    organization: organization ? zafOrganization(organization, related.groups) : null,
    collaborators: ticket.collaborator_ids.map(user).filter(Boolean),
  };
  for (const field of ticket.custom_fields) out[`customField:custom_field_${field.id}`] = field.value;
  return out;
}

/** The Account object (currentAccount). */
export function zafAccount(account) {
  return { subdomain: account.subdomain, planName: account.planName, timeZone: zafTimeZone(account.timeZone, account.ianaTimeZone) };
}
