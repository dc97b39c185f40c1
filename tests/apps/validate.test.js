// The app folders pass the rules Zendesk applies on upload (zendesk-rules.js): every apps/*
// folder with a manifest.json, the fixture, and every manifest shown in docs/*.md. Then, per
// rule, a copy of the fixture broken in exactly one way, which must raise exactly that rule:
// the controls show that each rule can fire and that it fires alone.
import assert from 'node:assert/strict';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { validateAppFolder } from './zendesk-rules.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('fixtures/valid-app', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'leastdata-apps-'));
after(() => rmSync(work, { recursive: true, force: true }));

const rules = (findings) => findings.map((f) => f.rule).sort();
const describeFindings = (findings) => findings.map((f) => `${f.rule}: ${f.message}`).join('\n');

function assertAccepted(t, dir) {
  const { errors, warnings } = validateAppFolder(dir);
  for (const warning of warnings) t.diagnostic(`warning ${warning.rule}: ${warning.message}`);
  assert.deepEqual(errors, [], `Zendesk would refuse ${dir}:\n${describeFindings(errors)}`);
}

function appFolders() {
  const apps = join(ROOT, 'apps');
  if (!existsSync(apps)) return [];
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'manifest.json')))
    .map((entry) => join(apps, entry.name));
}

describe('app folders Zendesk accepts', () => {
  const folders = appFolders();
  for (const folder of folders) {
    test(folder.slice(ROOT.length), (t) => assertAccepted(t, folder));
  }
  test('tests/apps/fixtures/valid-app', (t) => {
    if (folders.length === 0) t.diagnostic('no apps/*/manifest.json: the fixture stands in for the app folders');
    assertAccepted(t, FIXTURE);
  });
});

describe('manifests shown in docs/', () => {
  const docs = join(ROOT, 'docs');
  for (const name of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
    const blocks = [...readFileSync(join(docs, name), 'utf8').matchAll(/^```json\n([\s\S]*?)^```/gm)]
      .map((m) => m[1]).filter((block) => block.includes('"frameworkVersion"'));
    blocks.forEach((block, i) => {
      test(`docs/${name}, manifest ${i + 1}`, (t) => assertAccepted(t, folderAround(block, `${name}-${i}`)));
    });
  }
});

// An app folder holding `manifestText` and stubs of what it refers to (location files, the
// default locale's translations with every required key, logos), so only the manifest is judged.
function folderAround(manifestText, label) {
  const dir = join(work, `docs-${label}`);
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), manifestText);
  let manifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return dir; // the validator reports it
  }
  for (const locations of Object.values(manifest.location ?? {})) {
    for (const options of Object.values(locations ?? {})) {
      const url = typeof options === 'string' ? options : options?.url;
      if (typeof url === 'string' && url.startsWith('assets/') && !url.includes('..')) {
        const file = join(dir, url.split(/[?#]/)[0]);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, '<!doctype html>\n');
      }
    }
  }
  if (typeof manifest.defaultLocale === 'string' && /^[\w-]+$/.test(manifest.defaultLocale)) {
    writeTranslations(dir, manifest.defaultLocale, {
      name: 'Stub', short_description: 'Stub', long_description: 'Stub', installation_instructions: 'Stub',
    });
  }
  writeLogos(dir);
  return dir;
}

function writeTranslations(dir, locale, app) {
  mkdirSync(join(dir, 'translations'), { recursive: true });
  writeFileSync(join(dir, 'translations', `${locale}.json`), JSON.stringify({ app }, null, 2));
}

function writeLogos(dir) {
  writeFileSync(join(dir, 'assets', 'logo.png'), png(320, 320));
  writeFileSync(join(dir, 'assets', 'logo-small.png'), png(128, 128));
}

// A valid, blank, greyscale PNG of the given size.
function png(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (greyscale), compression, filter, interlace all 0
  const rows = Buffer.alloc((width + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Negative controls --------------------------------------------------------------------

let copies = 0;
/** A fresh copy of the fixture, with logos, that the rules accept without a warning of its own. */
function freshApp() {
  const dir = join(work, `app-${copies += 1}`);
  cpSync(FIXTURE, dir, { recursive: true });
  writeLogos(dir);
  return dir;
}

const baseline = validateAppFolder(freshApp());

function editJson(dir, file, edit) {
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}
const editManifest = (dir, edit) => editJson(dir, 'manifest.json', edit);
const editEnglish = (dir, edit) => editJson(dir, 'translations/en.json', edit);
const secret = (m) => m.parameters.find((p) => p.name === 'shared_secret');
const sidebar = (m) => m.location.support.ticket_sidebar;
const put = (dir, file, content) => {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
};

// Warnings the broken copy has beyond the baseline's (as a multiset of rules).
function newWarnings(warnings) {
  const left = rules(baseline.warnings);
  return rules(warnings).filter((rule) => {
    const i = left.indexOf(rule);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

test('the baseline copy has no errors and no warning a control looks for', () => {
  assert.deepEqual(baseline.errors, []);
  assert.deepEqual(rules(baseline.warnings), ['generic_secrets']); // "shared_secret" in manifest.json
});

const errorControls = [
  // validations/manifest.rb call and its rescues
  ['no manifest.json', ['missing_manifest'], (d) => unlinkSync(join(d, 'manifest.json'))],
  ['manifest.json one level down', ['nested_manifest'], (d) => {
    mkdirSync(join(d, 'app'));
    cpSync(join(d, 'manifest.json'), join(d, 'app', 'manifest.json'));
    unlinkSync(join(d, 'manifest.json'));
  }],
  ['manifest.json not JSON', ['manifest_not_json'], (d) => writeFileSync(join(d, 'manifest.json'), '{ "name": "x", }')],
  ['manifest.json an array', ['manifest_not_json'], (d) => writeFileSync(join(d, 'manifest.json'), '[]')],
  ['a member set twice', ['duplicate_manifest_keys'], (d) => {
    const text = readFileSync(join(d, 'manifest.json'), 'utf8');
    writeFileSync(join(d, 'manifest.json'), text.replace('"version": "1.0.0",', '"version": "1.0.0", "version": "1.0.1",'));
  }],
  // missing_keys_error, default_locale_error
  ['no author', ['manifest_keys.missing'], (d) => editManifest(d, (m) => delete m.author)],
  ['no defaultLocale', ['manifest_keys.missing'], (d) => editManifest(d, (m) => delete m.defaultLocale)],
  ['defaultLocale not a locale', ['invalid_default_locale'], (d) => editManifest(d, (m) => { m.defaultLocale = 'english'; })],
  ['no translations/<defaultLocale>.json', ['missing_translation_file'], (d) => unlinkSync(join(d, 'translations', 'en.json'))],
  // type_checks
  ['private not a boolean', ['unacceptable_boolean'], (d) => editManifest(d, (m) => { m.private = 'yes'; })],
  ['signedUrls not a boolean', ['unacceptable_boolean'], (d) => editManifest(d, (m) => { m.signedUrls = 'true'; })],
  ['version not a string', ['unacceptable_string'], (d) => editManifest(d, (m) => { m.version = 1; })],
  ['author email not a string', ['unacceptable_string'], (d) => editManifest(d, (m) => { m.author.email = ['a@example.eu']; })],
  ['experiments not an object', ['unacceptable_hash'], (d) => editManifest(d, (m) => { m.experiments = ['hashParams']; })],
  ['domainWhitelist a string', ['unacceptable_array_of_strings'], (d) => editManifest(d, (m) => { m.domainWhitelist = 'leastdata.example.eu'; })],
  ['parameters an object', ['parameters_not_an_array', 'unacceptable_array'], (d) => editManifest(d, (m) => { m.parameters = {}; })],
  ['noTemplate true in v2', ['no_template_deprecated_in_v2'], (d) => editManifest(d, (m) => { m.noTemplate = true; })],
  ['noTemplate naming no location', ['invalid_no_template', 'no_template_deprecated_in_v2'], (d) => editManifest(d, (m) => { m.noTemplate = ['side_bar']; })],
  // validate_urls
  ['author url not a URL', ['invalid_url'], (d) => editManifest(d, (m) => { m.author.url = 'example.eu'; })],
  ['termsConditionsURL not http(s)', ['invalid_url'], (d) => editManifest(d, (m) => { m.termsConditionsURL = 'ftp://example.eu/terms'; })],
  // parameters
  ['a parameter defined twice', ['duplicate_parameters'], (d) => editManifest(d, (m) => { m.parameters.push({ name: 'endpoint_url', type: 'text' }); })],
  ['required not a boolean', ['unacceptable_boolean'], (d) => editManifest(d, (m) => { m.parameters[0].required = 'yes'; })],
  ['an unknown parameter type', ['invalid_type_parameter'], (d) => editManifest(d, (m) => { secret(m).type = 'password'; })],
  ['the mtls type (off unless Zendesk enables it)', ['invalid_type_parameter'], (d) => editManifest(d, (m) => { m.parameters.push({ name: 'client_cert', type: 'mtls' }); })],
  ['a parameter called name', ['name_as_parameter_name'], (d) => editManifest(d, (m) => { m.parameters.push({ name: 'name', type: 'text' }); })],
  ['a required hidden parameter', ['invalid_hidden_parameter'], (d) => editManifest(d, (m) => { m.parameters.push({ name: 'tenant', type: 'hidden', required: true }); })],
  ['a scope not allowed', ['field_contains_invalid_values'], (d) => editManifest(d, (m) => { secret(m).scopes = ['jwt_secret_key', 'cookie']; })],
  ['scopes on a non-secure parameter', ['field_requires_secure_parameter'], (d) => editManifest(d, (m) => { m.parameters[0].scopes = ['url']; })],
  ['scopes empty', ['field_cannot_be_empty'], (d) => editManifest(d, (m) => { secret(m).scopes = []; })],
  ['scopes a string', ['unacceptable_array'], (d) => editManifest(d, (m) => { secret(m).scopes = 'header'; })],
  // oauth
  ['oauth incomplete, no oauth parameter', ['oauth_keys.missing', 'oauth_parameter_required'], (d) => editManifest(d, (m) => {
    m.oauth = { client_id: 'id', authorize_uri: 'https://example.eu/authorize', access_token_uri: 'https://example.eu/token' };
  })],
  ['a secure oauth parameter', ['oauth_parameter_cannot_be_secure'], (d) => editManifest(d, (m) => {
    m.oauth = { client_id: 'id', client_secret: 's', authorize_uri: 'https://example.eu/a', access_token_uri: 'https://example.eu/t' };
    m.parameters.push({ name: 'login', type: 'oauth', secure: true });
  })],
  ['two oauth parameters', ['too_many_oauth_parameters'], (d) => editManifest(d, (m) => {
    m.oauth = { client_id: 'id', client_secret: 's', authorize_uri: 'https://example.eu/a', access_token_uri: 'https://example.eu/t' };
    m.parameters.push({ name: 'login', type: 'oauth' }, { name: 'login2', type: 'oauth' });
  })],
  // locations
  ['no location', ['manifest_keys.missing'], (d) => editManifest(d, (m) => delete m.location)],
  ['a location url naming a missing asset', ['invalid_location_uri'], (d) => editManifest(d, (m) => { sidebar(m).url = 'assets/missing.html'; })],
  ['a location url outside assets/', ['invalid_location_uri'], (d) => editManifest(d, (m) => { sidebar(m).url = 'manifest.json'; })],
  ['a location url over http', ['invalid_location_uri'], (d) => editManifest(d, (m) => { sidebar(m).url = 'http://example.eu/app.html'; })],
  ['a location url with a space', ['invalid_location_uri'], (d) => editManifest(d, (m) => { sidebar(m).url = 'https://example.eu/my app.html'; })],
  ['a location without url', ['blank_location_uri'], (d) => editManifest(d, (m) => delete sidebar(m).url)],
  ['an unknown location', ['invalid_location'], (d) => editManifest(d, (m) => { m.location.support.ticket_sidebar_v2 = { url: 'assets/iframe.html' }; })],
  ['a location of another product', ['invalid_location'], (d) => editManifest(d, (m) => { m.location.chat = { deal_card: 'assets/iframe.html' }; })],
  ['custom_object_record_sidebar (off unless Zendesk enables it)', ['invalid_location'], (d) => editManifest(d, (m) => {
    m.location.support.custom_object_record_sidebar = { url: 'assets/iframe.html', objectTypes: ['car'] };
  })],
  ['an unknown product', ['invalid_host'], (d) => editManifest(d, (m) => { m.location.guide = { top_bar: 'assets/iframe.html' }; })],
  ['flexible not a boolean', ['invalid_location_flexible_type'], (d) => editManifest(d, (m) => { sidebar(m).flexible = 'yes'; })],
  ['v1 location names with framework 2.0', ['locations_must_be_urls'], (d) => editManifest(d, (m) => { m.location = ['ticket_sidebar']; })],
  ['a v2-only location in framework 1.0', ['invalid_v1_location', 'invalid_version'], (d) => editManifest(d, (m) => {
    m.location = ['modal'];
    m.frameworkVersion = '1.0';
  })],
  // framework version
  ['frameworkVersion not served', ['invalid_version'], (d) => editManifest(d, (m) => { m.frameworkVersion = '2'; })],
  ['frameworkVersion a number', ['invalid_version', 'unacceptable_string'], (d) => editManifest(d, (m) => { m.frameworkVersion = 2; })],
  // Absent, it is missing, not served, and (the app no longer counting as framework v2) its URL
  // locations are refused too.
  ['no frameworkVersion', ['invalid_version', 'locations_cant_be_urls', 'manifest_keys.missing'], (d) => editManifest(d, (m) => delete m.frameworkVersion)],
  // validations/marketplace.rb
  ['an experiment not allowed', ['invalid_experiment'], (d) => editManifest(d, (m) => { m.experiments = { shinyThing: true }; })],
  ['a symbolic link', ['symlink_in_zip'], (d) => symlinkSync('iframe.html', join(d, 'assets', 'link.html'))],
  // validations/translations.rb
  ['a translation file not JSON', ['translation.not_json'], (d) => writeFileSync(join(d, 'translations', 'en.json'), '{ "app": ')],
  ['a translation file not an object', ['translation.not_json_object'], (d) => writeFileSync(join(d, 'translations', 'en.json'), '["app"]')],
  ['a translation file not named by a locale', ['translation.invalid_locale'], (d) => put(d, 'translations/english.json', '{}')],
  ['no app.name in en.json', ['translation.missing_required_key'], (d) => editEnglish(d, (j) => delete j.app.name)],
  ['a public app (private: false) without marketplace texts', ['translation.missing_required_key'], (d) => editManifest(d, (m) => { m.private = false; })],
  ['a parameter translation without label', ['translation.missing_required_key_on_leaf'], (d) => editEnglish(d, (j) => { j.app.parameters.endpoint_url = 'URL'; })],
  ['a translators\' file with a plain string', ['translation.invalid_format'], (d) => editEnglish(d, (j) => { j.app.package = 'ticket_summary'; })],
  ['a translation section for a product the app is not in', ['translation.products_do_not_match_manifest_products'], (d) => editEnglish(d, (j) => {
    j.app = { support: { name: 'Ticket summary' }, sell: { name: 'Ticket summary' } };
  })],
  ['a product section without name', ['translation.missing_required_key_for_product'], (d) => editEnglish(d, (j) => { j.app = { support: { title: 'x' } }; })],
  // validations/mime.rb, banner.rb
  ['a shell script', ['unsupported_mime_type_detected'], (d) => put(d, 'assets/build.sh', 'echo hi\n')],
  ['a gzip file under another name', ['unsupported_mime_type_detected'], (d) => put(d, 'assets/data.txt', gzipSync('hello'))],
  ['a banner that is not a PNG', ['banner.invalid_format'], (d) => put(d, 'assets/banner.png', 'GIF89a')],
  ['a banner of the wrong size', ['banner.invalid_size'], (d) => put(d, 'assets/banner.png', png(800, 200))],
  // Zendesk's documented zip limit
  ['a zip over 2 MB', ['package_too_large'], (d) => put(d, 'assets/noise.dat', randomBytes(2_100_000))],
];

describe('negative controls: each broken copy raises exactly its error', () => {
  for (const [name, expected, breakIt] of errorControls) {
    test(name, () => {
      const dir = freshApp();
      breakIt(dir);
      const { errors } = validateAppFolder(dir);
      assert.deepEqual(rules(errors), [...expected].sort(), describeFindings(errors));
    });
  }
});

const warningControls = [
  // validations/secure_settings.rb
  ['a secure parameter without scopes', 'secure_parameters_with_no_scopes_in_manifest', (d) => editManifest(d, (m) => delete secret(m).scopes)],
  ['a token in a plain text parameter', 'insecure_token_parameter_in_manifest', (d) => editManifest(d, (m) => { m.parameters.push({ name: 'api_token', type: 'text' }); })],
  ['a default on a secure parameter', 'default_secure_or_hidden_parameter_in_manifest', (d) => editManifest(d, (m) => { secret(m).default = 'x'; })],
  // validations/requests.rb, secrets.rb, svg.rb
  ['an http: URL in the page', 'insecure_http_request', (d) => put(d, 'assets/iframe.html', '<script src="http://cdn.example.eu/x.js"></script>\n')],
  ['a private key in a file', 'application_secret', (d) => put(d, 'assets/key.json', '"-----BEGIN RSA PRIVATE KEY-----"\n')],
  ['a bitmap inside an SVG', 'bitmap_in_svg', (d) => put(d, 'assets/icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"><image href="x.png"/></svg>\n')],
  // package.rb icons
  ['no small logo', 'missing_logo', (d) => unlinkSync(join(d, 'assets', 'logo-small.png'))],
  ['a top_bar location without its icon', 'missing_location_icon', (d) => editManifest(d, (m) => { m.location.support.top_bar = { url: 'assets/iframe.html' }; })],
  // Ours: domainWhitelist entries Zendesk's proxy can never match, zcli's ignore semantics
  ['a URL in domainWhitelist', 'domain_whitelist_not_hostname', (d) => editManifest(d, (m) => { m.domainWhitelist = ['https://leastdata.example.eu/']; })],
  ['a .zcliignore pattern that misses nested files', 'zcliignore_pattern_misses_files', (d) => {
    put(d, 'assets/app.js.map', '{}');
    writeFileSync(join(d, '.zcliignore'), '*.map\n');
  }],
  ['a .zcliignore line naming a directory', 'zcliignore_pattern_misses_files', (d) => {
    put(d, 'assets/src/app.ts', 'export {};\n');
    writeFileSync(join(d, '.zcliignore'), 'assets/src\n');
  }],
  ['requirements.json', 'requirements_not_checked', (d) => put(d, 'requirements.json', '{}')],
];

describe('negative controls: each copy raises exactly its warning, and no error', () => {
  for (const [name, expected, breakIt] of warningControls) {
    test(name, () => {
      const dir = freshApp();
      breakIt(dir);
      const { errors, warnings } = validateAppFolder(dir);
      assert.deepEqual(errors, [], describeFindings(errors));
      assert.deepEqual(newWarnings(warnings), [expected], describeFindings(warnings));
    });
  }
});

describe('what the rules accept', () => {
  const accepted = [
    ['an https location url', (d) => editManifest(d, (m) => { sidebar(m).url = 'https://app.example.eu/sidebar.html'; })],
    ['a localhost location url (zcli apps:server)', (d) => editManifest(d, (m) => { sidebar(m).url = 'http://localhost:4567/sidebar.html'; })],
    ['a location url from a setting', (d) => editManifest(d, (m) => { sidebar(m).url = '{{setting.app_url}}/sidebar.html'; })],
    ['a location url with a query', (d) => editManifest(d, (m) => { sidebar(m).url = 'assets/iframe.html?v=1'; })],
    ['every allowed scope', (d) => editManifest(d, (m) => {
      secret(m).scopes = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim', 'basic_auth_username', 'basic_auth_password'];
    })],
    ['a banner of 830x200', (d) => put(d, 'assets/banner.png', png(830, 200))],
    ['a banner of 1660x400', (d) => put(d, 'assets/banner.png', png(1660, 400))],
    ['description standing for short_description in a public app', (d) => {
      editManifest(d, (m) => { m.private = false; });
      editEnglish(d, (j) => Object.assign(j.app, { description: 'd', long_description: 'l', installation_instructions: 'i' }));
    }],
    ['files .zcliignore leaves out of the zip', (d) => {
      put(d, 'assets/dist.zip', gzipSync('x'));
      put(d, 'tmp/app-1.zip', 'PK\x03\x04');
      put(d, '.git/big', randomBytes(2_100_000));
      writeFileSync(join(d, '.zcliignore'), '# build output\nassets/*.zip\n');
    }],
    ['a legacy product name (zendesk for support)', (d) => editManifest(d, (m) => {
      m.location = { zendesk: m.location.support };
    })],
    ['a Sell location', (d) => {
      editManifest(d, (m) => { m.location.sell = { deal_card: { url: 'assets/iframe.html' } }; });
    }],
  ];
  for (const [name, change] of accepted) {
    test(name, () => {
      const dir = freshApp();
      change(dir);
      const { errors } = validateAppFolder(dir);
      assert.deepEqual(errors, [], describeFindings(errors));
    });
  }
});
