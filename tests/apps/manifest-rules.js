// manifest.json as zendesk_apps_support judges a client-side app (lib/zendesk_apps_support/
// manifest.rb reads it, validations/manifest.rb checks it, validations/secure_settings.rb and
// validations/marketplace.rb add to it). Each check names the gem's message key (config/locales/
// en.yml, under txt.apps.admin.error.app_build. or .warning.app_build.) as its rule.
// Values are read the way the Ruby reads them: an absent member and null are both nil, and
// `x ||= false` turns nil into false but keeps any other value for the type checks to refuse.
import {
  ALL_LOCATION_NAMES, ALLOWED_EXPERIMENTS, FRAMEWORK_VERSIONS, GATED_LOCATION, OAUTH_REQUIRED_FIELDS,
  PARAMETER_TYPES, PRODUCTS, SECURE_PARAM_SCOPES, VALID_LOCALE, locationsOf,
} from './zendesk-catalog.js';
import { parseStrictJson } from './strict-json.js';
import { isObject, orFalse, rubyClass, truthy } from './ruby-values.js';

const LEGACY_URL = '_legacy'; // manifest.rb LEGACY_URI_STUB: a v1 location given by name only

/** Reads and checks manifest.json; returns the manifest read as the gem reads it, or null. */
export function checkManifest(pkg, findings) {
  const raw = parseManifest(pkg, findings);
  if (raw === null) return null;
  const manifest = readManifest(raw, findings);
  if (manifest === null) return null;
  // Requirements-only and marketing-only apps skip the location and framework checks and get
  // others instead; this validator is for apps that run in an iframe.
  if (truthy(manifest.requirementsOnly) || truthy(manifest.marketingOnly)) {
    findings.error('unsupported_app_kind', 'requirementsOnly and marketingOnly apps are outside what this validator checks');
    return null;
  }
  checkRequiredMembers(manifest, findings);
  checkTypes(manifest, findings);
  checkOauth(manifest, findings);
  checkDefaultLocale(manifest, pkg, findings);
  checkUrls(manifest, findings);
  checkParameters(manifest, findings);
  checkLocations(manifest, pkg, findings);
  checkFrameworkVersion(manifest, findings);
  checkNoTemplateInV2(manifest, findings);
  return manifest;
}

// validations/manifest.rb `call`, and its rescues of JSON::ParserError and OverrideError.
function parseManifest(pkg, findings) {
  if (!pkg.has('manifest.json')) {
    const nested = pkg.files.find((f) => /^[^/]+\/manifest\.json$/.test(f));
    if (nested) findings.error('nested_manifest', `manifest.json is not at the root of the package, but ${nested} is`);
    else findings.error('missing_manifest', 'manifest.json is missing');
    return null;
  }
  const parsed = parseStrictJson(pkg.read('manifest.json').toString('utf8'));
  if (parsed.syntaxError) {
    findings.error('manifest_not_json', `manifest.json is not valid JSON: ${parsed.syntaxError}`);
    return null;
  }
  if (parsed.duplicateKey !== undefined) {
    findings.error('duplicate_manifest_keys', `manifest.json sets "${parsed.duplicateKey}" twice in one object`);
    return null;
  }
  // The gem indexes the parsed value by member name; anything but an object fails there.
  if (!isObject(parsed.value)) {
    findings.error('manifest_not_json', 'manifest.json is not a JSON object');
    return null;
  }
  return parsed.value;
}

// manifest.rb initialize, set_locations_and_hosts, location_options, parameters.
function readManifest(raw, findings) {
  const locations = readLocations(raw.location);
  if (locations.duplicate !== undefined) {
    // validations/manifest.rb duplicate_manifest_keys (a v1 location array naming one twice)
    findings.error('duplicate_manifest_keys', `the location list names "${locations.duplicate}" twice`);
    return null;
  }
  return {
    raw,
    requirementsOnly: orFalse(raw.requirementsOnly),
    marketingOnly: orFalse(raw.marketingOnly),
    singleInstall: orFalse(raw.singleInstall),
    signedUrls: orFalse(raw.signedUrls),
    private: Object.hasOwn(raw, 'private') ? raw.private : true,
    noTemplate: orFalse(raw.noTemplate),
    experiments: truthy(raw.experiments) ? raw.experiments : {},
    author: raw.author ?? null,
    defaultLocale: raw.defaultLocale ?? null,
    frameworkVersion: raw.frameworkVersion ?? null,
    oauth: raw.oauth ?? null,
    originalParameters: raw.parameters ?? null,
    parameters: (Array.isArray(raw.parameters) ? raw.parameters : []).map(readParameter),
    domainWhitelist: raw.domainWhitelist ?? null,
    locationOptions: locations.options,
    usedHosts: locations.usedHosts,
    locationKeys: locations.keys,
  };
}

function readLocations(original) {
  const keys = {}; // product name -> the location names given for it
  let usedHosts = ['support'];
  if (isObject(original)) {
    usedHosts = Object.keys(original);
    for (const product of PRODUCTS) {
      const value = Object.hasOwn(original, product.name) ? original[product.name] : original[product.legacyName];
      if (!truthy(value)) continue;
      // A product's value is an object of locations; each is an options object or a bare URL.
      const entries = isObject(value) ? Object.entries(value) : Array.isArray(value) ? value.map((k) => [k, null]) : [];
      keys[product.name] = entries.map(([name, options]) => [name, isObject(options) ? options : { url: options }]);
    }
  } else if (Array.isArray(original)) {
    const duplicate = original.find((name, i) => original.indexOf(name) !== i);
    if (duplicate !== undefined) return { duplicate };
    keys.support = original.map((name) => [name, { url: LEGACY_URL }]);
  } else if (typeof original === 'string') {
    keys.support = [[original, { url: LEGACY_URL }]];
  } else {
    keys.support = [];
  }
  const options = Object.entries(keys).flatMap(([product, entries]) => entries.map(([name, given]) => {
    const known = locationsOf(product).find((l) => l.name === name) ?? null;
    const url = given.url;
    return {
      product,
      name,
      location: known,
      url,
      flexible: given.flexible ?? null,
      autoLoad: Object.hasOwn(given, 'autoLoad') ? given.autoLoad : true,
      legacy: truthy(given.legacy) ? given.legacy : url === LEGACY_URL,
    };
  }));
  return { options, usedHosts, keys: Object.fromEntries(Object.entries(keys).map(([p, e]) => [p, e.map(([n]) => n)])) };
}

// manifest/parameter.rb
function readParameter(raw) {
  const p = isObject(raw) ? raw : {};
  return {
    name: p.name ?? null,
    type: truthy(p.type) ? p.type : 'text',
    required: orFalse(p.required),
    secure: orFalse(p.secure),
    hasDefault: Object.hasOwn(p, 'default'),
    scopes: p.scopes ?? null,
  };
}

// validations/manifest.rb missing_keys_error: REQUIRED_MANIFEST_FIELDS are author and
// defaultLocale, for private and public apps alike; `name` is not required by the gem.
function checkRequiredMembers(manifest, findings) {
  const missing = [['author', manifest.author], ['defaultLocale', manifest.defaultLocale]]
    .filter(([, value]) => value === null).map(([member]) => member);
  if (missing.length > 0) missingMembers(missing, findings);
}

function missingMembers(members, findings) {
  findings.error('manifest_keys.missing', `manifest.json lacks ${members.join(', ')}`);
}

// validations/manifest.rb type_checks (boolean_error, string_error, no_template_format_error,
// the experiments, domainWhitelist and parameters checks).
function checkTypes(manifest, findings) {
  for (const member of ['requirementsOnly', 'marketingOnly', 'singleInstall', 'signedUrls', 'private']) {
    const value = manifest[member];
    if (value !== true && value !== false) {
      findings.error('unacceptable_boolean', `${member} must be true or false, got ${show(value)}`);
    }
  }
  for (const member of ['defaultLocale', 'version', 'frameworkVersion', 'remoteInstallationURL', 'termsConditionsURL', 'gaID']) {
    mustBeString(manifest.raw[member], member, findings);
  }
  if (isObject(manifest.author)) {
    for (const member of ['name', 'email', 'url']) mustBeString(manifest.author[member], `author ${member}`, findings);
  }
  const noTemplate = manifest.noTemplate;
  if (noTemplate !== true && noTemplate !== false
      && !(Array.isArray(noTemplate) && noTemplate.every((name) => ALL_LOCATION_NAMES.has(name)))) {
    findings.error('invalid_no_template', 'noTemplate must be true, false or an array of location names');
  }
  if (!isObject(manifest.experiments)) {
    findings.error('unacceptable_hash', `experiments must be an object, got ${rubyClass(manifest.experiments)}`);
  }
  const whitelist = manifest.domainWhitelist;
  if (whitelist !== null && !(Array.isArray(whitelist) && whitelist.every((d) => typeof d === 'string'))) {
    findings.error('unacceptable_array_of_strings', 'domainWhitelist must be an array of strings');
  } else if (whitelist !== null) {
    warnNonHostnames(whitelist, findings);
  }
  const parameters = manifest.originalParameters;
  if (parameters !== null && !Array.isArray(parameters)) {
    findings.error('unacceptable_array', `parameters must be an array, got ${rubyClass(parameters)}`);
  }
}

// Not in the gem, which takes any strings: Zendesk's proxy compares the entries with the host a
// secure request goes to, so an entry with a scheme, a path or a port never matches. Optional
// leading "*." for subdomains.
function warnNonHostnames(whitelist, findings) {
  const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
  const hostname = new RegExp(`^(?:\\*\\.)?${label}(?:\\.${label})*$`);
  const bad = whitelist.filter((entry) => !hostname.test(entry) || entry.length > 253);
  if (bad.length > 0) {
    findings.warning('domain_whitelist_not_hostname', `domainWhitelist entries must be host names: ${bad.map(show).join(', ')}`);
  }
}

function mustBeString(value, label, findings) {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    findings.error('unacceptable_string', `${label} must be a string, got ${show(value)}`);
  }
}

// validations/manifest.rb oauth_error: oauth_keys.missing, oauth_parameter_required.
function checkOauth(manifest, findings) {
  const oauth = manifest.oauth;
  if (!truthy(oauth)) return;
  const missing = OAUTH_REQUIRED_FIELDS.filter((key) => {
    const value = isObject(oauth) ? oauth[key] : undefined;
    return value === undefined || value === null || isEmpty(value);
  });
  if (missing.length > 0) findings.error('oauth_keys.missing', `oauth lacks ${missing.join(', ')}`);
  if (!manifest.parameters.some((p) => p.type === 'oauth')) {
    findings.error('oauth_parameter_required', 'an oauth object needs a parameter of type "oauth"');
  }
}

// validations/manifest.rb default_locale_error: invalid_default_locale, missing_translation_file.
function checkDefaultLocale(manifest, pkg, findings) {
  const locale = manifest.defaultLocale;
  if (locale === null) return;
  if (typeof locale !== 'string' || !VALID_LOCALE.test(locale)) {
    findings.error('invalid_default_locale', `${show(locale)} is not a valid default locale`);
  } else if (!pkg.has(`translations/${locale}.json`)) {
    findings.error('missing_translation_file', `translations/${locale}.json is missing for defaultLocale "${locale}"`);
  }
}

// validations/manifest.rb validate_urls / valid_url?: an http(s) URL with a host.
function checkUrls(manifest, findings) {
  const urls = [['termsConditionsURL', manifest.raw.termsConditionsURL]];
  if (isObject(manifest.author)) urls.push(['author url', manifest.author.url]);
  for (const [field, value] of urls) {
    if (typeof value === 'string' && !isHttpUrlWithHost(value)) {
      findings.error('invalid_url', `${field} must be a valid URL, got ${show(value)}`);
    }
  }
}

function isHttpUrlWithHost(value) {
  if (!parsesAsUri(value)) return false;
  const match = /^(https?):\/\/([^/?#]*)/i.exec(value);
  return match !== null && hostOf(match[2]) !== '';
}

// validations/manifest.rb validate_parameters (parameters_error, invalid_hidden_parameter_error,
// invalid_type_error, too_many_oauth_parameters, oauth_cannot_be_secure,
// name_as_parameter_name_error, invalid_secure_param_scopes_errors).
function checkParameters(manifest, findings) {
  const original = manifest.originalParameters;
  if (original !== null && !Array.isArray(original)) {
    findings.error('parameters_not_an_array', 'parameters must be an array');
  } else {
    checkParameterBasics(manifest.parameters, findings);
  }
  const parameters = manifest.parameters;
  const hiddenRequired = parameters.filter((p) => p.type === 'hidden' && truthy(p.required)).map((p) => p.name);
  if (hiddenRequired.length > 0) {
    findings.error('invalid_hidden_parameter', `hidden parameters cannot be required: ${hiddenRequired.join(', ')}`);
  }
  const badTypes = parameters.map((p) => p.type).filter((type) => !PARAMETER_TYPES.includes(type));
  if (badTypes.length > 0) {
    findings.error('invalid_type_parameter', `invalid parameter types: ${badTypes.map(show).join(', ')} (allowed: ${PARAMETER_TYPES.join(', ')})`);
  }
  const oauthParameters = parameters.filter((p) => p.type === 'oauth');
  if (oauthParameters.length > 1) findings.error('too_many_oauth_parameters', 'only one parameter may have type "oauth"');
  if (oauthParameters.some((p) => truthy(p.secure))) {
    findings.error('oauth_parameter_cannot_be_secure', 'a parameter of type "oauth" cannot be secure');
  }
  if (parameters.some((p) => p.name === 'name')) findings.error('name_as_parameter_name', 'a parameter cannot be called "name"');
  for (const parameter of parameters) checkScopes(parameter, findings);
}

// parameters_error past its array check: it reports only the first of these kinds that occurs.
function checkParameterBasics(parameters, findings) {
  const names = parameters.map((p) => p.name);
  const duplicates = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (duplicates.length > 0) {
    findings.error('duplicate_parameters', `parameters defined twice: ${duplicates.map(show).join(', ')}`);
    return;
  }
  for (const member of ['required', 'secure']) {
    const bad = parameters.filter((p) => p[member] !== true && p[member] !== false);
    for (const p of bad) {
      findings.error('unacceptable_boolean', `parameters[name="${p.name}"].${member} must be true or false, got ${show(p[member])}`);
    }
    if (bad.length > 0) return;
  }
}

function checkScopes(parameter, findings) {
  const field = `parameters[name="${parameter.name}"].scopes`;
  const scopes = parameter.scopes;
  if (scopes === null) return;
  if (!truthy(parameter.secure)) findings.error('field_requires_secure_parameter', `${field} is only allowed on a secure parameter`);
  if (!Array.isArray(scopes)) {
    findings.error('unacceptable_array', `${field} must be an array, got ${rubyClass(scopes)}`);
    return;
  }
  if (scopes.length === 0) findings.error('field_cannot_be_empty', `${field} cannot be empty`);
  const invalid = scopes.filter((scope) => !SECURE_PARAM_SCOPES.includes(scope));
  if (invalid.length > 0) {
    findings.error('field_contains_invalid_values', `${field} contains ${invalid.map(show).join(', ')} (allowed: ${SECURE_PARAM_SCOPES.join(', ')})`);
  }
}

// validations/manifest.rb validate_location: missing_location_error, invalid_location_error,
// invalid_v1_location, location_framework_mismatch.
function checkLocations(manifest, pkg, findings) {
  const options = manifest.locationOptions;
  if (options.length === 0) missingMembers(['location'], findings);
  for (const option of options) {
    if (typeof option.url === 'string' && option.url !== '') {
      if (!locationUrlIsValid(option.url, pkg)) {
        findings.error('invalid_location_uri', `${option.url} (${option.product}.${option.name}) is not a URI, names a file missing from assets/, or is not https`);
      }
    } else if (truthy(option.autoLoad)) {
      findings.error('blank_location_uri', `${option.product}.${option.name} has no url`);
    }
    if (option.flexible !== null && option.flexible !== true && option.flexible !== false) {
      findings.error('invalid_location_flexible_type', `${option.product}.${option.name}.flexible must be true or false, got ${show(option.flexible)}`);
    }
  }
  for (const product of PRODUCTS) {
    const given = manifest.locationKeys[product.name];
    if (!given) continue;
    const known = locationsOf(product.name).map((l) => l.name);
    const invalid = [...new Set(given)].filter((name) => !known.includes(name));
    if (known.includes(GATED_LOCATION) && given.includes(GATED_LOCATION)) invalid.push(GATED_LOCATION);
    if (invalid.length > 0) findings.error('invalid_location', `${invalid.join(', ')}: not a location of ${product.name}`);
  }
  const hosts = PRODUCTS.flatMap((p) => [p.name, p.legacyName]);
  for (const host of manifest.usedHosts.filter((h) => !hosts.includes(h))) {
    findings.error('invalid_host', `${host} is not a product apps run in (${PRODUCTS.map((p) => p.name).join(', ')})`);
  }
  const version = compareWith2(manifest.frameworkVersion);
  if (version !== null && version < 0) {
    const v2Only = options.filter((o) => o.location?.v2Only).map((o) => o.name);
    if (v2Only.length > 0) findings.error('invalid_v1_location', `${v2Only.join(', ')}: not available in framework v1`);
  }
  const iframeOnly = isIframeOnly(manifest);
  const legacy = options.filter((o) => truthy(o.legacy));
  if (iframeOnly === true && legacy.length > 0) {
    findings.error('locations_must_be_urls', 'framework v2 locations must be given as URLs');
  } else if (iframeOnly === false && legacy.length < options.length) {
    findings.error('locations_cant_be_urls', 'locations cannot be URLs unless frameworkVersion is 2 or above');
  }
}

// validations/manifest.rb invalid_location_uri_error: an https URL (any scheme for the host
// localhost), or a path under assets/ naming a file of the package. Setting placeholders pass.
function locationUrlIsValid(url, pkg) {
  if (url === LEGACY_URL || url.includes('{{setting.')) return true;
  if (!parsesAsUri(url)) return false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme) {
    if (scheme[1].toLowerCase() === 'https') return true;
    const authority = /^[^:]+:\/\/([^/?#]*)/.exec(url);
    return authority !== null && hostOf(authority[1]) === 'localhost';
  }
  const path = url.split(/[?#]/)[0];
  return path.startsWith('assets/') && pkg.has(path);
}

// What Ruby's RFC 3986 parser refuses outright: characters outside the URI alphabet, bad escapes.
function parsesAsUri(value) {
  return /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value);
}

function hostOf(authority) {
  return authority.replace(/^.*@/, '').replace(/:\d*$/, '');
}

// validations/manifest.rb missing_framework_version and invalid_version_error (both fire when
// frameworkVersion is absent: nil is not a served version either).
function checkFrameworkVersion(manifest, findings) {
  const version = manifest.frameworkVersion;
  if (version === null) missingMembers(['frameworkVersion'], findings);
  if (!FRAMEWORK_VERSIONS.includes(version)) {
    findings.error('invalid_version', `frameworkVersion ${show(version)} is not served; available: ${FRAMEWORK_VERSIONS.join(', ')}`);
  }
}

// validations/manifest.rb ban_no_template: framework v2 apps set autoLoad/autoHide per location.
function checkNoTemplateInV2(manifest, findings) {
  if (isIframeOnly(manifest) !== true) return;
  const noTemplate = manifest.noTemplate;
  const locations = Array.isArray(noTemplate) ? noTemplate : [];
  if ((truthy(noTemplate) && !Array.isArray(noTemplate)) || locations.length > 0) {
    findings.error('no_template_deprecated_in_v2', 'noTemplate cannot be used with framework version 2');
  }
}

// manifest.rb iframe_only?: frameworkVersion set and Gem::Version(frameworkVersion) >= 2.
// undefined where the gem would raise on a version that is not a dotted number.
function isIframeOnly(manifest) {
  if (!truthy(manifest.frameworkVersion)) return false;
  const order = compareWith2(manifest.frameworkVersion);
  return order === null ? undefined : order >= 0;
}

// Gem::Version(version) <=> 2 for dotted numbers; null for anything else (invalid_version
// reports those).
function compareWith2(version) {
  if (!truthy(version) || !/^\s*\d+(\.\d+)*\s*$/.test(String(version))) return null;
  const [major, ...rest] = String(version).trim().split('.').map(Number);
  if (major !== 2) return major - 2;
  return rest.some((n) => n > 0) ? 1 : 0;
}

/** validations/secure_settings.rb: warnings about settings that may leak. */
export function warnSecureSettings(manifest, findings) {
  const parameters = manifest.parameters;
  if (parameters.some((p) => typeof p.name === 'string' && /token|key|pwd|password/i.test(p.name) && p.type === 'text' && !truthy(p.secure))) {
    findings.warning('insecure_token_parameter_in_manifest', 'a text parameter named like a token, key or password is not secure');
  }
  if (parameters.some((p) => p.hasDefault && (truthy(p.secure) || p.type === 'hidden'))) {
    findings.warning('default_secure_or_hidden_parameter_in_manifest', 'defaults of secure or hidden parameters are not stored securely');
  }
  const unscoped = parameters.filter((p) => truthy(p.secure) && !(Array.isArray(p.scopes) && p.scopes.some(truthy)));
  if (unscoped.length > 0) {
    findings.warning('secure_parameters_with_no_scopes_in_manifest',
      `secure parameters without scopes (Zendesk's proxy would insert them anywhere in a request): ${unscoped.map((p) => p.name).join(', ')}`);
  }
}

/** validations/marketplace.rb no_experiments: invalid_experiment. */
export function checkExperiments(manifest, findings) {
  for (const [experiment, enabled] of Object.entries(manifest.experiments)) {
    if (truthy(enabled) && !ALLOWED_EXPERIMENTS.includes(experiment)) {
      findings.error('invalid_experiment', `unknown or unavailable experiment: ${experiment}`);
    }
  }
}

/** The products the manifest's known locations belong to (manifest.rb products_from_locations). */
export function productsOf(manifest) {
  return [...new Set(manifest.locationOptions.filter((o) => o.location).map((o) => o.product))];
}

function isEmpty(value) {
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

function show(value) {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
