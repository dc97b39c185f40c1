// The facts zendesk_apps_support (the gem Zendesk runs on every app upload,
// github.com/zendesk/zendesk_apps_support, read at version 4.52.0) checks a client-side app
// against: products, locations, parameter types, secure-setting scopes, framework versions,
// file types. Declared once here; the rules in this folder only look them up.

/** lib/zendesk_apps_support/product.rb: a manifest's `location` keys, with their v1 aliases. */
export const PRODUCTS = [
  { name: 'support', legacyName: 'zendesk' },
  { name: 'chat', legacyName: 'zopim' },
  { name: 'standalone_chat', legacyName: 'lotus_box' },
  { name: 'sell', legacyName: 'sell' },
];

// lib/zendesk_apps_support/location.rb. v2Only only matters for framework v1 (every location
// outside Support is v2-only there).
const SUPPORT_V2_ONLY = new Set(['modal', 'ticket_editor']);
const LOCATION_NAMES = {
  support: ['top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar',
    'organization_sidebar', 'background', 'modal', 'ticket_editor', 'system_top_bar',
    'custom_object_record_sidebar'],
  chat: ['chat_sidebar', 'background'],
  standalone_chat: ['nav_bar', 'system_top_bar'],
  sell: ['deal_card', 'person_card', 'company_card', 'lead_card', 'background', 'modal', 'dashboard',
    'note_editor', 'call_log_editor', 'email_editor', 'top_bar', 'visit_editor'],
};

/** The locations known for a product, as { name, v2Only }. */
export function locationsOf(product) {
  return (LOCATION_NAMES[product] ?? []).map((name) => ({
    name,
    v2Only: product === 'support' ? SUPPORT_V2_ONLY.has(name) : product !== 'standalone_chat',
  }));
}

export const ALL_LOCATION_NAMES = new Set(Object.values(LOCATION_NAMES).flat());

// validations/manifest.rb refuses it unless Zendesk passes
// validate_custom_object_record_sidebar_location, which is off by default.
export const GATED_LOCATION = 'custom_object_record_sidebar';

// package.rb LOCATIONS_WITH_ICONS_PER_PRODUCT: locations whose button shows an icon from assets/.
export const LOCATIONS_WITH_ICONS = {
  support: ['top_bar', 'nav_bar', 'system_top_bar', 'ticket_editor'],
  sell: ['top_bar'],
};

// app_version.rb TO_BE_SERVED: deprecated + sunsetting + current + future.
export const FRAMEWORK_VERSIONS = ['2.0'];

// manifest/parameter.rb TYPES without 'mtls', which validations/manifest.rb only accepts when
// Zendesk passes validate_mtls_param (off by default).
export const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];

// validations/manifest.rb SECURE_PARAM_SCOPES: where Zendesk's proxy may put a secure setting.
export const SECURE_PARAM_SCOPES = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim',
  'basic_auth_username', 'basic_auth_password'];

// validations/manifest.rb OAUTH_REQUIRED_FIELDS.
export const OAUTH_REQUIRED_FIELDS = ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri'];

// validations/marketplace.rb WHITELISTED_EXPERIMENTS.
export const ALLOWED_EXPERIMENTS = ['hashParams', 'newCssCompiler'];

// validations/mime.rb UNSUPPORTED_MIME_TYPES, compared with a file's extension and with the
// subtype of the MIME type Marcel sniffs from its content.
export const UNSUPPORTED_MIME_TYPES = ['vnd.rar', 'rar', 'zip', 'gzip', 'pdf', 'doc', 'docx', 'avi',
  'bin', 'bz', 'bz2', 'csh', 'sh', 'jar', 'mp3', 'mpeg', 'odt', 'pptx', 'ppt', 'xls', 'xlsx', '7z'];

// validations/translations.rb VALID_LOCALE (Ruby's \w is ASCII).
export const VALID_LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9_]{2,3})?$/;

// validations/translations.rb get_missing_keys: what translations/en.json must have under "app".
export const PRIVATE_APP_KEYS = ['name'];
export const PUBLIC_APP_KEYS = ['name', 'short_description', 'installation_instructions', 'long_description'];

// validations/banner.rb: assets/banner.png, at 1x or 2x.
export const BANNER_SIZE = { width: 830, height: 200 };

// Not in the gem: "The file size limit of the zip file for a private app is 2 MB."
// (developer.zendesk.com/documentation/apps/getting-started/uploading-and-installing-a-private-app/).
// Decimal megabytes, the smaller reading.
export const MAX_PRIVATE_ZIP_BYTES = 2_000_000;
