// The checks on the package's files rather than on manifest.json: zendesk_apps_support's
// validations/mime.rb, banner.rb, svg.rb, secrets.rb, requests.rb and marketplace.rb (symlinks),
// the icons package.rb looks for, and two limits that live outside the gem (zcli's packaging and
// Zendesk's documented zip size). Rules are the gem's message keys where it has one.
import { posix } from 'node:path';
import { estimatedZipBytes } from './app-package.js';
import { productsOf } from './manifest-rules.js';
import { BANNER_SIZE, LOCATIONS_WITH_ICONS, MAX_PRIVATE_ZIP_BYTES, UNSUPPORTED_MIME_TYPES } from './zendesk-catalog.js';

/** validations/mime.rb: unsupported_mime_type_detected, by extension or by sniffed content. */
export function checkFileTypes(pkg, findings) {
  const refused = pkg.files.filter((file) => {
    const types = [extensionOf(file), sniffedSubtype(pkg.read(file))];
    return types.some((type) => UNSUPPORTED_MIME_TYPES.includes(type));
  });
  if (refused.length > 0) findings.error('unsupported_mime_type_detected', `unsupported file types: ${refused.join(', ')}`);
}

// File.extname without its dot; Ruby gives none for dotfiles.
function extensionOf(file) {
  const name = posix.basename(file);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

// The subtypes of Marcel's content sniffing that can be in the list: only zip, gzip, pdf and mpeg
// are detected from content, .rar/.7z/.doc/... by extension alone.
function sniffedSubtype(bytes) {
  const at = (offset, ...values) => values.every((v, i) => bytes[offset + i] === v);
  const ascii = (offset, text) => at(offset, ...Buffer.from(text, 'latin1'));
  if (ascii(0, 'PK\x03\x04')) {
    // Office Open XML documents are zips too, but Marcel names them by their own types.
    const head = bytes.subarray(0, 65536).toString('latin1');
    return head.includes('[Content_Types].xml') || ascii(30, '_rels/.rels') ? 'ooxml' : 'zip';
  }
  if (ascii(0, 'PK\x05\x06') || ascii(0, 'PK\x07\x08')) return 'zip';
  if (at(0, 0x1f, 0x8b)) return 'gzip';
  if (ascii(0, '%PDF-') || ascii(0, '\xef\xbb\xbf%PDF-')) return 'pdf';
  if (ascii(0, 'ID3') || (bytes[0] === 0xff && [0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xfa, 0xfb, 0xfc, 0xfd, 0xe3].includes(bytes[1]))) return 'mpeg';
  if (at(0, 0, 0, 1, 0xb3) || at(0, 0, 0, 1, 0xba)) return 'mpeg';
  return null;
}

/** validations/banner.rb: assets/banner.png is a PNG of 830x200 or 1660x400. */
export function checkBanner(pkg, findings) {
  if (!pkg.has('assets/banner.png')) return;
  const png = pkg.read('assets/banner.png');
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') {
    findings.error('banner.invalid_format', 'assets/banner.png is not a PNG file');
    return;
  }
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const fits = (scale) => width === scale * BANNER_SIZE.width && height === scale * BANNER_SIZE.height;
  if (!fits(1) && !fits(2)) {
    findings.error('banner.invalid_size', `assets/banner.png is ${width}x${height}, not ${BANNER_SIZE.width}x${BANNER_SIZE.height} (or twice that)`);
  }
}

/** validations/svg.rb bitmap_in_svg: Zendesk replaces such an icon with a placeholder. */
export function warnSvgBitmaps(pkg, findings) {
  for (const file of pkg.files.filter((f) => /^assets\/.*\.svg$/.test(f))) {
    if (/<(?:[\w-]+:)?image\b/.test(pkg.read(file).toString('utf8'))) {
      findings.warning('bitmap_in_svg', `${file} embeds a bitmap and will be replaced by a placeholder icon`);
    }
  }
}

// validations/secrets.rb SECRET_KEYWORDS (case-sensitive), looked for in package.rb text_files.
const SECRET_KEYWORDS = /password|secret|secretToken|secret_token|auth_key|authKey|auth_pass|authPass|auth_user|AuthUser|api_key/;
// Of validations/secrets.rb's APPLICATION_SECRETS, the ones that name a key material's own format.
const KEY_MATERIAL = [
  ['private key', /-----BEGIN (?:RSA |OPENSSH |DSA |EC )?PRIVATE KEY-----|-----BEGIN PGP PRIVATE KEY BLOCK-----/],
  ['AWS access key ID', /AKIA[0-9A-Z]{8,24}/],
];

/** validations/secrets.rb: generic_secrets and application_secret warnings. */
export function warnSecrets(pkg, findings) {
  const flagged = [];
  for (const file of pkg.files.filter((f) => /(html?|xml|js|json?)$/.test(f))) {
    const text = pkg.read(file).toString('utf8');
    for (const [kind, pattern] of KEY_MATERIAL) {
      if (pattern.test(text)) findings.warning('application_secret', `possible ${kind} in ${file}`);
    }
    const keyword = SECRET_KEYWORDS.exec(text);
    if (keyword) flagged.push(`${file} ('${keyword[0]}...')`);
  }
  if (flagged.length > 0) findings.warning('generic_secrets', `possible secrets in ${flagged.join(', ')}`);
}

/** validations/requests.rb insecure_http_request: http: URLs in .js/.jsx and .html/.htm files. */
export function warnInsecureRequests(pkg, findings) {
  for (const file of pkg.files.filter((f) => /\.jsx?$/.test(f) || /\.html?$/.test(f))) {
    const urls = [...new Set(pkg.read(file).toString('utf8').match(/http:[-A-Za-z0-9;/?:@&=+$,_.!~*'()%[\]]+/gi) ?? [])];
    if (urls.length > 0) findings.warning('insecure_http_request', `${file} names http: URLs: ${urls.join(', ')}`);
  }
}

/** validations/marketplace.rb no_symlinks: symlink_in_zip (zcli's zip keeps links as links). */
export function checkSymlinks(pkg, findings) {
  if (pkg.symlinks.length > 0) findings.error('symlink_in_zip', `symbolic links cannot be uploaded: ${pkg.symlinks.join(', ')}`);
}

/**
 * Icons Zendesk shows for the app: package.rb's logo hash points at assets/logo-small.png (per
 * product directory when the app has several), and location_icons at icon_<location>.svg or
 * icon_<location>_inactive.png for the locations with a button. The gem does not refuse an app
 * without them (the Marketplace review does), so these are warnings.
 */
export function warnMissingIcons(pkg, manifest, findings) {
  const products = productsOf(manifest);
  const directoryOf = (product) => (products.length > 1 ? `${product}/` : '');
  for (const product of products) {
    for (const logo of ['logo.png', 'logo-small.png']) {
      const path = `assets/${directoryOf(product)}${logo}`;
      if (!pkg.has(path)) findings.warning('missing_logo', `${path} is missing: Zendesk shows a default icon`);
    }
  }
  for (const option of manifest.locationOptions.filter((o) => o.location && LOCATIONS_WITH_ICONS[o.product]?.includes(o.name))) {
    const base = `assets/${directoryOf(option.product)}icon_${option.name}`;
    if (!pkg.has(`${base}.svg`) && !pkg.has(`${base}_inactive.png`)) {
      findings.warning('missing_location_icon', `${option.product}.${option.name} shows a button, but neither ${base}.svg nor ${base}_inactive.png exists`);
    }
  }
}

/** Not in the gem: Zendesk's documented limit on a private app's zip (see zendesk-catalog.js). */
export function checkZipSize(pkg, findings) {
  const bytes = estimatedZipBytes(pkg);
  if (bytes > MAX_PRIVATE_ZIP_BYTES) {
    findings.error('package_too_large', `the zip would be about ${bytes} bytes; a private app's zip may have at most ${MAX_PRIVATE_ZIP_BYTES}`);
  }
}

/** Not in the gem: .zcliignore lines that leave in the zip what they name (see app-package.js). */
export function warnZcliIgnore(pkg, findings) {
  for (const issue of pkg.ignoreIssues) {
    findings.warning('zcliignore_pattern_misses_files', `.zcliignore "${issue.pattern}" keeps ${issue.kept.join(', ')}: ${issue.why}`);
  }
}

/** requirements.json is checked by validations/requirements.rb, which this validator leaves out. */
export function warnRequirements(pkg, findings) {
  if (pkg.has('requirements.json')) findings.warning('requirements_not_checked', 'requirements.json is present; its rules are not checked here');
}
