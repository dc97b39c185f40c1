// The members Zendesk's API documents for each resource the sidebar reads (the "JSON format"
// tables of the Zendesk Support API reference: Tickets, Users, Organizations, Ticket Comments;
// members that appear in responses, not the write-only ones). The access report lists, beside
// what reached the app, the documented members its policy leaves out: the filter counts the
// fields it drops but does not name them, so this is the honest source of their names.
// An account can add members (custom fields, new API versions); those are counted, not listed.

const TICKET = ['allow_attachments', 'allow_channelback', 'assignee_id', 'brand_id', 'collaborator_ids', 'created_at',
  'custom_fields', 'custom_status_id', 'description', 'due_at', 'email_cc_ids', 'external_id', 'fields', 'follower_ids',
  'followup_ids', 'forum_topic_id', 'from_messaging_channel', 'generated_timestamp', 'group_id', 'has_incidents', 'id',
  'is_public', 'organization_id', 'priority', 'problem_id', 'raw_subject', 'recipient', 'requester_id',
  'satisfaction_rating', 'sharing_agreement_ids', 'status', 'subject', 'submitter_id', 'tags', 'ticket_form_id', 'type',
  'updated_at', 'url', 'via'];

export const DOCUMENTED_FIELDS = {
  ticket: TICKET,
  user: ['active', 'alias', 'chat_only', 'created_at', 'custom_role_id', 'default_group_id', 'details', 'email',
    'external_id', 'iana_time_zone', 'id', 'last_login_at', 'locale', 'locale_id', 'moderator', 'name', 'notes',
    'only_private_comments', 'organization_id', 'phone', 'photo', 'report_csv', 'restricted_agent', 'role', 'role_type',
    'shared', 'shared_agent', 'shared_phone_number', 'signature', 'suspended', 'tags', 'ticket_restriction', 'time_zone',
    'two_factor_auth_enabled', 'updated_at', 'url', 'user_fields', 'verified'],
  organization: ['created_at', 'details', 'domain_names', 'external_id', 'group_id', 'id', 'name', 'notes',
    'organization_fields', 'shared_comments', 'shared_tickets', 'tags', 'updated_at', 'url'],
  comment: ['attachments', 'audit_id', 'author_id', 'body', 'created_at', 'html_body', 'id', 'metadata', 'plain_body',
    'public', 'type', 'via'],
};
