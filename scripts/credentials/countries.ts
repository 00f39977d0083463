/**
 * Country normalisation to ISO 3166-1 alpha-2, the form the registries store (`bytes2`).
 *
 * Accepted: an alpha-2 code, an alpha-3 code, the ISO English short name, or one of the common variants listed
 * below ("USA", "South Korea", "Turkey", "Vietnam", "UK" ...). Matching ignores case, accents, punctuation,
 * a leading "the" and extra spaces ("Korea, Republic of" = "korea republic of"). Anything else is refused:
 * a wrong country of melt and pour is a customs matter, so nothing is guessed.
 */
import { CredentialError, pathForMessage, quote } from "./errors";

/** One ISO 3166-1 entry. */
export interface Country {
  alpha2: string;
  alpha3: string;
  /** The ISO 3166-1 English short name. */
  name: string;
}

// alpha-2|alpha-3|English short name — all 249 officially assigned ISO 3166-1 codes.
const ISO_3166_1 = `
AD|AND|Andorra
AE|ARE|United Arab Emirates
AF|AFG|Afghanistan
AG|ATG|Antigua and Barbuda
AI|AIA|Anguilla
AL|ALB|Albania
AM|ARM|Armenia
AO|AGO|Angola
AQ|ATA|Antarctica
AR|ARG|Argentina
AS|ASM|American Samoa
AT|AUT|Austria
AU|AUS|Australia
AW|ABW|Aruba
AX|ALA|Åland Islands
AZ|AZE|Azerbaijan
BA|BIH|Bosnia and Herzegovina
BB|BRB|Barbados
BD|BGD|Bangladesh
BE|BEL|Belgium
BF|BFA|Burkina Faso
BG|BGR|Bulgaria
BH|BHR|Bahrain
BI|BDI|Burundi
BJ|BEN|Benin
BL|BLM|Saint Barthélemy
BM|BMU|Bermuda
BN|BRN|Brunei Darussalam
BO|BOL|Bolivia (Plurinational State of)
BQ|BES|Bonaire, Sint Eustatius and Saba
BR|BRA|Brazil
BS|BHS|Bahamas
BT|BTN|Bhutan
BV|BVT|Bouvet Island
BW|BWA|Botswana
BY|BLR|Belarus
BZ|BLZ|Belize
CA|CAN|Canada
CC|CCK|Cocos (Keeling) Islands
CD|COD|Congo, Democratic Republic of the
CF|CAF|Central African Republic
CG|COG|Congo
CH|CHE|Switzerland
CI|CIV|Côte d'Ivoire
CK|COK|Cook Islands
CL|CHL|Chile
CM|CMR|Cameroon
CN|CHN|China
CO|COL|Colombia
CR|CRI|Costa Rica
CU|CUB|Cuba
CV|CPV|Cabo Verde
CW|CUW|Curaçao
CX|CXR|Christmas Island
CY|CYP|Cyprus
CZ|CZE|Czechia
DE|DEU|Germany
DJ|DJI|Djibouti
DK|DNK|Denmark
DM|DMA|Dominica
DO|DOM|Dominican Republic
DZ|DZA|Algeria
EC|ECU|Ecuador
EE|EST|Estonia
EG|EGY|Egypt
EH|ESH|Western Sahara
ER|ERI|Eritrea
ES|ESP|Spain
ET|ETH|Ethiopia
FI|FIN|Finland
FJ|FJI|Fiji
FK|FLK|Falkland Islands (Malvinas)
FM|FSM|Micronesia (Federated States of)
FO|FRO|Faroe Islands
FR|FRA|France
GA|GAB|Gabon
GB|GBR|United Kingdom of Great Britain and Northern Ireland
GD|GRD|Grenada
GE|GEO|Georgia
GF|GUF|French Guiana
GG|GGY|Guernsey
GH|GHA|Ghana
GI|GIB|Gibraltar
GL|GRL|Greenland
GM|GMB|Gambia
GN|GIN|Guinea
GP|GLP|Guadeloupe
GQ|GNQ|Equatorial Guinea
GR|GRC|Greece
GS|SGS|South Georgia and the South Sandwich Islands
GT|GTM|Guatemala
GU|GUM|Guam
GW|GNB|Guinea-Bissau
GY|GUY|Guyana
HK|HKG|Hong Kong
HM|HMD|Heard Island and McDonald Islands
HN|HND|Honduras
HR|HRV|Croatia
HT|HTI|Haiti
HU|HUN|Hungary
ID|IDN|Indonesia
IE|IRL|Ireland
IL|ISR|Israel
IM|IMN|Isle of Man
IN|IND|India
IO|IOT|British Indian Ocean Territory
IQ|IRQ|Iraq
IR|IRN|Iran (Islamic Republic of)
IS|ISL|Iceland
IT|ITA|Italy
JE|JEY|Jersey
JM|JAM|Jamaica
JO|JOR|Jordan
JP|JPN|Japan
KE|KEN|Kenya
KG|KGZ|Kyrgyzstan
KH|KHM|Cambodia
KI|KIR|Kiribati
KM|COM|Comoros
KN|KNA|Saint Kitts and Nevis
KP|PRK|Korea (Democratic People's Republic of)
KR|KOR|Korea, Republic of
KW|KWT|Kuwait
KY|CYM|Cayman Islands
KZ|KAZ|Kazakhstan
LA|LAO|Lao People's Democratic Republic
LB|LBN|Lebanon
LC|LCA|Saint Lucia
LI|LIE|Liechtenstein
LK|LKA|Sri Lanka
LR|LBR|Liberia
LS|LSO|Lesotho
LT|LTU|Lithuania
LU|LUX|Luxembourg
LV|LVA|Latvia
LY|LBY|Libya
MA|MAR|Morocco
MC|MCO|Monaco
MD|MDA|Moldova, Republic of
ME|MNE|Montenegro
MF|MAF|Saint Martin (French part)
MG|MDG|Madagascar
MH|MHL|Marshall Islands
MK|MKD|North Macedonia
ML|MLI|Mali
MM|MMR|Myanmar
MN|MNG|Mongolia
MO|MAC|Macao
MP|MNP|Northern Mariana Islands
MQ|MTQ|Martinique
MR|MRT|Mauritania
MS|MSR|Montserrat
MT|MLT|Malta
MU|MUS|Mauritius
MV|MDV|Maldives
MW|MWI|Malawi
MX|MEX|Mexico
MY|MYS|Malaysia
MZ|MOZ|Mozambique
NA|NAM|Namibia
NC|NCL|New Caledonia
NE|NER|Niger
NF|NFK|Norfolk Island
NG|NGA|Nigeria
NI|NIC|Nicaragua
NL|NLD|Netherlands, Kingdom of the
NO|NOR|Norway
NP|NPL|Nepal
NR|NRU|Nauru
NU|NIU|Niue
NZ|NZL|New Zealand
OM|OMN|Oman
PA|PAN|Panama
PE|PER|Peru
PF|PYF|French Polynesia
PG|PNG|Papua New Guinea
PH|PHL|Philippines
PK|PAK|Pakistan
PL|POL|Poland
PM|SPM|Saint Pierre and Miquelon
PN|PCN|Pitcairn
PR|PRI|Puerto Rico
PS|PSE|Palestine, State of
PT|PRT|Portugal
PW|PLW|Palau
PY|PRY|Paraguay
QA|QAT|Qatar
RE|REU|Réunion
RO|ROU|Romania
RS|SRB|Serbia
RU|RUS|Russian Federation
RW|RWA|Rwanda
SA|SAU|Saudi Arabia
SB|SLB|Solomon Islands
SC|SYC|Seychelles
SD|SDN|Sudan
SE|SWE|Sweden
SG|SGP|Singapore
SH|SHN|Saint Helena, Ascension and Tristan da Cunha
SI|SVN|Slovenia
SJ|SJM|Svalbard and Jan Mayen
SK|SVK|Slovakia
SL|SLE|Sierra Leone
SM|SMR|San Marino
SN|SEN|Senegal
SO|SOM|Somalia
SR|SUR|Suriname
SS|SSD|South Sudan
ST|STP|Sao Tome and Principe
SV|SLV|El Salvador
SX|SXM|Sint Maarten (Dutch part)
SY|SYR|Syrian Arab Republic
SZ|SWZ|Eswatini
TC|TCA|Turks and Caicos Islands
TD|TCD|Chad
TF|ATF|French Southern Territories
TG|TGO|Togo
TH|THA|Thailand
TJ|TJK|Tajikistan
TK|TKL|Tokelau
TL|TLS|Timor-Leste
TM|TKM|Turkmenistan
TN|TUN|Tunisia
TO|TON|Tonga
TR|TUR|Türkiye
TT|TTO|Trinidad and Tobago
TV|TUV|Tuvalu
TW|TWN|Taiwan, Province of China
TZ|TZA|Tanzania, United Republic of
UA|UKR|Ukraine
UG|UGA|Uganda
UM|UMI|United States Minor Outlying Islands
US|USA|United States of America
UY|URY|Uruguay
UZ|UZB|Uzbekistan
VA|VAT|Holy See
VC|VCT|Saint Vincent and the Grenadines
VE|VEN|Venezuela (Bolivarian Republic of)
VG|VGB|Virgin Islands (British)
VI|VIR|Virgin Islands (U.S.)
VN|VNM|Viet Nam
VU|VUT|Vanuatu
WF|WLF|Wallis and Futuna
WS|WSM|Samoa
YE|YEM|Yemen
YT|MYT|Mayotte
ZA|ZAF|South Africa
ZM|ZMB|Zambia
ZW|ZWE|Zimbabwe
`;

// Names in common use (trade documents, older ISO names, UN names) -> alpha-2. "UK" is reserved by ISO for GB.
const VARIANTS = `
US|United States|USA|U.S.A.|U.S.|United States of America (the)
GB|United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
KR|South Korea|Republic of Korea|Korea (the Republic of)|Korea, South
KP|North Korea|Democratic People's Republic of Korea|Korea, Democratic People's Republic of|Korea, North
TR|Turkey|Turkiye|Republic of Türkiye
VN|Vietnam|Viet-Nam
RU|Russia
IR|Iran|Iran, Islamic Republic of
BO|Bolivia
VE|Venezuela
TZ|Tanzania
TW|Taiwan|Chinese Taipei
MD|Moldova|Republic of Moldova
SY|Syria
LA|Laos|Lao PDR
CZ|Czech Republic
MK|Macedonia|Republic of North Macedonia|The former Yugoslav Republic of Macedonia
SZ|Swaziland
CI|Ivory Coast|Cote d'Ivoire
CV|Cape Verde
MM|Burma
NL|Netherlands|Holland|The Netherlands
BN|Brunei
PS|Palestine|State of Palestine
VA|Vatican|Vatican City|Vatican City State
FM|Micronesia
CD|Democratic Republic of the Congo|DR Congo|DRC|Congo (the Democratic Republic of the)|Congo-Kinshasa
CG|Republic of the Congo|Congo-Brazzaville|Congo (Brazzaville)
CN|People's Republic of China|PRC|Mainland China
HK|Hong Kong SAR|Hong Kong, China
MO|Macau|Macao SAR
AE|UAE
SA|KSA
DE|Federal Republic of Germany
TL|East Timor
FK|Falkland Islands
VG|British Virgin Islands
VI|US Virgin Islands|U.S. Virgin Islands
BA|Bosnia|Bosnia-Herzegovina
TT|Trinidad
KN|St Kitts and Nevis|Saint Kitts|St. Kitts and Nevis
LC|St Lucia|St. Lucia
VC|St Vincent and the Grenadines|St. Vincent and the Grenadines
ST|São Tomé and Príncipe
`;

function parseTable(): Country[] {
  return ISO_3166_1.trim()
    .split("\n")
    .map((line) => {
      const [alpha2, alpha3, name] = line.split("|");
      return { alpha2, alpha3, name };
    });
}

/** Every ISO 3166-1 entry, in alpha-2 order. */
export const COUNTRIES: readonly Country[] = Object.freeze(parseTable());

/** Lower case, accents and punctuation removed, "the" dropped, spaces collapsed. */
export function countryKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\bthe\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function buildIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const add = (text: string, alpha2: string): void => {
    const key = countryKey(text);
    const known = index.get(key);
    // Two countries under one key would make normalisation guess; the table tests rely on this throw.
    if (known !== undefined && known !== alpha2)
      throw new Error(`country key '${key}' is ambiguous: ${known}/${alpha2}`);
    index.set(key, alpha2);
  };
  for (const c of COUNTRIES) {
    add(c.alpha2, c.alpha2);
    add(c.alpha3, c.alpha2);
    add(c.name, c.alpha2);
  }
  for (const line of VARIANTS.trim().split("\n")) {
    const [alpha2, ...names] = line.split("|");
    for (const name of names) add(name, alpha2);
  }
  return index;
}

const INDEX = buildIndex();

/**
 * The ISO 3166-1 alpha-2 code of `input` (alpha-2, alpha-3, English short name or a common variant).
 * Throws `CredentialError` "cannot normalise country 'X' at <path>" for anything else.
 */
export function normaliseCountry(input: unknown, path: string): string {
  const alpha2 = typeof input === "string" ? INDEX.get(countryKey(input)) : undefined;
  if (alpha2 === undefined) {
    throw new CredentialError(`cannot normalise country ${quote(input)} at ${pathForMessage(path)}`, path);
  }
  return alpha2;
}

/** The ISO entry for an alpha-2 code, if it is one. */
export function countryByAlpha2(alpha2: string): Country | undefined {
  return COUNTRIES.find((c) => c.alpha2 === alpha2);
}
