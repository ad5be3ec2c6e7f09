/**
 * The words the synthetic world is made of: brand syllables, sector words per language, places with
 * their postcodes, people's names, and industry codes across the schemes the registers publish.
 * All invented or common-noun data; no real company is named here.
 */

/** Syllables that brand words are built from (invented words read like company brands). */
export const SYLLABLES = [
  'al', 'an', 'ar', 'ax', 'ba', 'bel', 'bro', 'ca', 'cor', 'da', 'del', 'dor', 'el', 'en', 'er', 'fa', 'fin', 'flo',
  'ga', 'gen', 'gro', 'ha', 'hel', 'in', 'is', 'ka', 'kel', 'kor', 'la', 'len', 'lin', 'lo', 'lux', 'ma', 'mar',
  'mer', 'mi', 'mo', 'na', 'nel', 'nor', 'nova', 'o', 'ol', 'or', 'pa', 'pel', 'pro', 'qua', 'ra', 'ren', 'ri', 'ro',
  'sa', 'sel', 'sen', 'sil', 'so', 'sta', 'sun', 'ta', 'tel', 'ter', 'tra', 'tri', 'ul', 'va', 'val', 'ven', 'ver',
  'vi', 'vo', 'wa', 'wen', 'xa', 'ya', 'za', 'zen', 'zo', 'bri', 'cla', 'dra', 'fre', 'gli', 'kra', 'ple', 'ske',
  'sto', 'tro', 'vil', 'wyn', 'rix', 'tex', 'dex', 'vex', 'lyn', 'mun', 'pix', 'quo', 'rad', 'sol', 'tam',
];

/** The languages sector words come in. */
export type Language = 'en' | 'fr' | 'no' | 'nl' | 'et' | 'lv' | 'lt' | 'cs' | 'sv' | 'fi' | 'de' | 'it' | 'es';

/** One industry with its code in every scheme the world's registers use. */
export interface Activity {
  /** NACE Rev. 2 class, e.g. "62.01". */
  nace: string;
  /** UK SIC 2007 with its text, as Companies House prints it. */
  sic: string;
  /** French NAF rév. 2 (with its letter). */
  naf: string;
  /** Norwegian SN2007 (NACE plus a national digit). */
  sn2007: string;
  /** KBO NACE codes of the 2003, 2008 and 2025 versions. */
  kbo2003: string;
  kbo2008: string;
  kbo2025: string;
  /** Descriptions per language. */
  text: Record<'en' | 'fr' | 'no' | 'nl', string>;
  /** Sector words that companies of this industry put in their names, per language. */
  words: Partial<Record<Language, readonly string[]>>;
  /** Relative frequency among companies. */
  weight: number;
}

export const ACTIVITIES: readonly Activity[] = [
  act('62.01', '62012 - Business and domestic software development', '62.01Z', '62.010', '72210', '62010', '62100',
    ['Computer programming activities', 'Programmation informatique', 'Programmeringstjenester', 'Computerprogrammering'],
    { en: ['Software', 'Digital', 'Systems', 'Networks'], fr: ['Logiciels', 'Informatique', 'Digital', 'Cloud'], no: ['Data', 'Systemer'], nl: ['Software', 'ICT'], et: ['Tarkvara', 'IT'], de: ['Software', 'Informatik'] }, 6),
  act('62.02', '62020 - Information technology consultancy activities', '62.02A', '62.020', '72220', '62020', '62200',
    ['Computer consultancy activities', 'Conseil en systèmes et logiciels informatiques', 'Konsulentvirksomhet tilknyttet informasjonsteknologi', 'Computerconsultancy'],
    { en: ['IT Consulting', 'Tech Solutions', 'Cloud'], fr: ['Conseil Informatique', 'Solutions'], no: ['IT', 'Teknologi'], nl: ['IT Solutions'], et: ['IT Lahendused'], de: ['IT-Beratung'] }, 5),
  act('61.10', '61100 - Wired telecommunications activities', '61.10Z', '61.100', '64201', '61100', '61100',
    ['Wired telecommunications activities', 'Télécommunications filaires', 'Kabelbasert telekommunikasjon', 'Draadgebonden telecommunicatie'],
    { en: ['Telecom', 'Broadband', 'Networks'], fr: ['Télécom', 'Réseaux'], no: ['Bredbånd', 'Nett'], nl: ['Telecom', 'Netwerken'], et: ['Telekom', 'Side'], de: ['Telekom', 'Netze'] }, 0.4),
  act('61.20', '61200 - Wireless telecommunications activities', '61.20Z', '61.200', '64202', '61200', '61200',
    ['Wireless telecommunications activities', 'Télécommunications sans fil', 'Trådløs telekommunikasjon', 'Draadloze telecommunicatie'],
    { en: ['Mobile', 'Wireless'], fr: ['Mobile'], no: ['Mobil'], nl: ['Mobiel'], et: ['Mobiil'], de: ['Mobilfunk'] }, 0.1),
  act('63.11', '63110 - Data processing, hosting and related activities', '63.11Z', '63.110', '72300', '63110', '63100',
    ['Data processing, hosting and related activities', 'Traitement de données, hébergement et activités connexes', 'Databehandling, databasevirksomhet og tjenester tilknyttet drift av webområder', 'Gegevensverwerking, webhosting en aanverwante activiteiten'],
    { en: ['Hosting', 'Cloud', 'Data Centre'], fr: ['Hébergement', 'Cloud', 'Datacenter'], no: ['Hosting', 'Sky'], nl: ['Hosting', 'Cloud'], et: ['Majutus', 'Pilv'], de: ['Hosting', 'Rechenzentrum'] }, 0.5),
  act('52.29', '52290 - Other transportation support activities', '52.29B', '52.290', '63401', '52290', '52290',
    ['Other transportation support activities', 'Affrètement et organisation des transports', 'Andre tjenester tilknyttet transport', 'Overige vervoersondersteunende activiteiten'],
    { en: ['Logistics', 'Freight', 'Shipping'], fr: ['Logistique', 'Transports', 'Fret'], no: ['Logistikk', 'Frakt', 'Transport'], nl: ['Logistiek', 'Transport'], et: ['Logistika', 'Transport'], de: ['Logistik', 'Spedition'] }, 3),
  act('49.41', '49410 - Freight transport by road', '49.41A', '49.410', '60241', '49410', '49410',
    ['Freight transport by road', 'Transports routiers de fret', 'Godstransport på vei', 'Goederenvervoer over de weg'],
    { en: ['Haulage', 'Transport'], fr: ['Transports Routiers'], no: ['Transport', 'Trafikk'], nl: ['Transport'], et: ['Vedu'], de: ['Transporte'] }, 3),
  act('43.21', '43210 - Electrical installation', '43.21A', '43.210', '45310', '43211', '43210',
    ['Electrical installation', 'Travaux d\'installation électrique', 'Elektrisk installasjonsarbeid', 'Elektrotechnische installatiewerken'],
    { en: ['Electrical', 'Electrics'], fr: ['Électricité', 'Élec'], no: ['Elektro', 'Elektriske'], nl: ['Elektro', 'Elektriciteit'], et: ['Elekter'], de: ['Elektro'] }, 4),
  act('41.20', '41201 - Construction of commercial buildings', '41.20A', '41.200', '45211', '41201', '41200',
    ['Construction of residential and non-residential buildings', 'Construction de bâtiments', 'Oppføring av bygninger', 'Bouw van residentiële en niet-residentiële gebouwen'],
    { en: ['Construction', 'Builders'], fr: ['Construction', 'Bâtiment'], no: ['Bygg', 'Entreprenør'], nl: ['Bouw', 'Bouwwerken'], et: ['Ehitus'], de: ['Bau'] }, 6),
  act('68.20', '68209 - Other letting and operating of own or leased real estate', '68.20B', '68.209', '70201', '68203', '68200',
    ['Renting and operating of own or leased real estate', 'Location de terrains et d\'autres biens immobiliers', 'Utleie av egen eller leid fast eiendom ellers', 'Verhuur en exploitatie van eigen of geleasd onroerend goed'],
    { en: ['Properties', 'Estates'], fr: ['Immobilier', 'Patrimoine'], no: ['Eiendom', 'Eiendommer'], nl: ['Vastgoed', 'Immo'], et: ['Kinnisvara'], de: ['Immobilien'] }, 8),
  act('69.10', '69102 - Solicitors', '69.10Z', '69.100', '74111', '69101', '69100',
    ['Legal activities', 'Activités juridiques', 'Juridisk tjenesteyting', 'Rechtskundige dienstverlening'],
    { en: ['Legal', 'Solicitors'], fr: ['Avocats', 'Juridique'], no: ['Advokatfirma'], nl: ['Advocaten'], et: ['Advokaadibüroo'], de: ['Rechtsanwälte'] }, 2),
  act('69.20', '69201 - Accounting and auditing activities', '69.20Z', '69.201', '74121', '69201', '69200',
    ['Accounting, bookkeeping and auditing activities', 'Activités comptables', 'Regnskap, revisjon og skatterådgivning', 'Boekhouding, accountancy en belastingconsulenten'],
    { en: ['Accountants', 'Audit'], fr: ['Expertise Comptable', 'Audit'], no: ['Regnskap', 'Revisjon'], nl: ['Boekhouding', 'Accountancy'], et: ['Raamatupidamine'], de: ['Steuerberatung'] }, 3),
  act('70.22', '70229 - Management consultancy activities other than financial management', '70.22Z', '70.220', '74141', '70220', '70200',
    ['Business and other management consultancy activities', 'Conseil pour les affaires et autres conseils de gestion', 'Bedriftsrådgivning og annen administrativ rådgivning', 'Adviesbureaus op het gebied van bedrijfsbeheer'],
    { en: ['Consulting', 'Advisory', 'Partners'], fr: ['Conseil', 'Partenaires'], no: ['Rådgivning', 'Konsult'], nl: ['Consultancy', 'Advies'], et: ['Konsultatsioonid'], de: ['Beratung', 'Consulting'] }, 7),
  act('73.11', '73110 - Advertising agencies', '73.11Z', '73.110', '74401', '73110', '73110',
    ['Advertising agencies', 'Activités des agences de publicité', 'Reklamebyråer', 'Reclamebureaus'],
    { en: ['Media', 'Creative', 'Marketing'], fr: ['Communication', 'Publicité'], no: ['Reklame', 'Kommunikasjon'], nl: ['Reclame', 'Communicatie'], et: ['Reklaam', 'Meedia'], de: ['Werbung', 'Medien'] }, 3),
  act('71.12', '71129 - Other engineering activities', '71.12B', '71.129', '74204', '71121', '71120',
    ['Engineering activities and related technical consultancy', 'Ingénierie, études techniques', 'Annen teknisk konsulentvirksomhet', 'Ingenieurs en aanverwante technische adviseurs'],
    { en: ['Engineering', 'Technical'], fr: ['Ingénierie', 'Études'], no: ['Ingeniører', 'Prosjekt'], nl: ['Engineering', 'Ingenieurs'], et: ['Inseneribüroo'], de: ['Ingenieure', 'Technik'] }, 3),
  act('46.90', '46900 - Non-specialised wholesale trade', '46.90Z', '46.900', '51900', '46900', '46900',
    ['Non-specialised wholesale trade', 'Commerce de gros non spécialisé', 'Uspesifisert engroshandel', 'Niet-gespecialiseerde groothandel'],
    { en: ['Trading', 'Supplies', 'Distribution'], fr: ['Distribution', 'Négoce'], no: ['Handel', 'Engros'], nl: ['Handel', 'Groothandel'], et: ['Hulgikaubandus', 'Kaubandus'], de: ['Handel', 'Großhandel'] }, 5),
  act('47.71', '47710 - Retail sale of clothing in specialised stores', '47.71Z', '47.710', '52421', '47710', '47710',
    ['Retail sale of clothing in specialised stores', 'Commerce de détail d\'habillement', 'Butikkhandel med klær', 'Detailhandel in kleding'],
    { en: ['Fashion', 'Clothing'], fr: ['Mode', 'Boutique'], no: ['Klær', 'Mote'], nl: ['Mode', 'Kleding'], et: ['Rõivad', 'Mood'], de: ['Mode'] }, 3),
  act('56.10', '56101 - Licensed restaurants', '56.10A', '56.101', '55301', '56101', '56110',
    ['Restaurants and mobile food service activities', 'Restauration traditionnelle', 'Drift av restauranter og kafeer', 'Restaurants en mobiele eetgelegenheden'],
    { en: ['Kitchen', 'Dining'], fr: ['Restaurant', 'Brasserie'], no: ['Restaurant', 'Kafé'], nl: ['Restaurant', 'Brasserie'], et: ['Restoran', 'Kohvik'], de: ['Gastronomie'] }, 4),
  act('55.10', '55100 - Hotels and similar accommodation', '55.10Z', '55.101', '55101', '55100', '55100',
    ['Hotels and similar accommodation', 'Hôtels et hébergement similaire', 'Drift av hoteller', 'Hotels en dergelijke accommodatie'],
    { en: ['Hotels', 'Hospitality'], fr: ['Hôtellerie', 'Hôtel'], no: ['Hotell'], nl: ['Hotel'], et: ['Hotell'], de: ['Hotel'] }, 1),
  act('64.19', '64191 - Banks', '64.19Z', '64.190', '65121', '64190', '64190',
    ['Other monetary intermediation', 'Autres intermédiations monétaires', 'Bankvirksomhet ellers', 'Overige geldscheppende financiële instellingen'],
    { en: ['Bank', 'Finance'], fr: ['Banque', 'Finance'], no: ['Bank', 'Sparebank'], nl: ['Bank', 'Financiering'], et: ['Pank', 'Finants'], de: ['Bank'] }, 0.3),
  act('65.12', '65120 - Non-life insurance', '65.12Z', '65.120', '66031', '65120', '65120',
    ['Non-life insurance', 'Autres assurances', 'Skadeforsikring', 'Schadeverzekeringen'],
    { en: ['Insurance', 'Assurance'], fr: ['Assurances'], no: ['Forsikring'], nl: ['Verzekeringen'], et: ['Kindlustus'], de: ['Versicherung'] }, 0.4),
  act('86.21', '86210 - General medical practice activities', '86.21Z', '86.211', '85121', '86210', '86210',
    ['General medical practice activities', 'Activité des médecins généralistes', 'Allmenn legetjeneste', 'Huisartsenpraktijken'],
    { en: ['Medical', 'Health', 'Clinic'], fr: ['Santé', 'Médical'], no: ['Legesenter', 'Helse'], nl: ['Medisch', 'Gezondheid'], et: ['Tervis', 'Kliinik'], de: ['Medizin', 'Praxis'] }, 2),
  act('25.62', '25620 - Machining', '25.62B', '25.620', '28520', '25620', '25620',
    ['Machining', 'Mécanique industrielle', 'Bearbeiding av metaller', 'Algemene mechanica'],
    { en: ['Engineering Works', 'Precision'], fr: ['Mécanique', 'Industrie'], no: ['Mekaniske', 'Industri'], nl: ['Mechanica', 'Industrie'], et: ['Mehaanika', 'Tööstus'], de: ['Maschinenbau', 'Präzision'] }, 2),
  act('10.71', '10710 - Manufacture of bread; manufacture of fresh pastry goods and cakes', '10.71C', '10.710', '15811', '10710', '10710',
    ['Manufacture of bread and fresh pastry goods', 'Boulangerie et boulangerie-pâtisserie', 'Produksjon av brød og ferske konditorvarer', 'Vervaardiging van brood en vers banketbakkerswerk'],
    { en: ['Bakery', 'Foods'], fr: ['Boulangerie', 'Pâtisserie'], no: ['Bakeri'], nl: ['Bakkerij'], et: ['Pagarid'], de: ['Bäckerei'] }, 2),
  act('45.11', '45112 - Sale of used cars and light motor vehicles', '45.11Z', '45.111', '50101', '45111', '45110',
    ['Sale of cars and light motor vehicles', 'Commerce de voitures et de véhicules automobiles légers', 'Salg av biler og lette motorvogner', 'Handel in auto\'s en lichte motorvoertuigen'],
    { en: ['Motors', 'Cars'], fr: ['Automobiles', 'Auto'], no: ['Bil', 'Bilsenter'], nl: ['Auto', 'Garage'], et: ['Auto', 'Autod'], de: ['Autohaus'] }, 2),
  act('58.11', '58110 - Book publishing', '58.11Z', '58.110', '22110', '58110', '58110',
    ['Book publishing', 'Édition de livres', 'Utgivelse av bøker', 'Uitgeverijen van boeken'],
    { en: ['Publishing', 'Press'], fr: ['Éditions'], no: ['Forlag'], nl: ['Uitgeverij'], et: ['Kirjastus'], de: ['Verlag'] }, 1),
  act('35.11', '35110 - Production of electricity', '35.11Z', '35.111', '40111', '35111', '35110',
    ['Production of electricity', 'Production d\'électricité', 'Produksjon av elektrisitet fra vannkraft', 'Productie van elektriciteit'],
    { en: ['Energy', 'Power'], fr: ['Énergie'], no: ['Kraft', 'Energi'], nl: ['Energie'], et: ['Energia'], de: ['Energie'] }, 0.8),
  act('85.42', '85421 - First-degree level higher education', '85.42Z', '85.421', '80302', '85421', '85420',
    ['Tertiary education', 'Enseignement supérieur', 'Universitets- og høgskoleundervisning', 'Hoger onderwijs'],
    { en: ['University'], fr: ['Université'], no: ['Universitet'], nl: ['Universiteit'], et: ['Ülikool'], de: ['Universität'] }, 0),
  act('84.11', '84110 - General public administration activities', '84.11Z', '84.110', '75111', '84111', '84110',
    ['General public administration activities', 'Administration publique générale', 'Generell offentlig administrasjon', 'Algemeen overheidsbestuur'],
    { en: ['Council'], fr: ['Administration'], no: ['Kommune'], nl: ['Overheid'], et: ['Vallavalitsus'], de: ['Verwaltung'] }, 0),
];

function act(
  nace: string,
  sic: string,
  naf: string,
  sn2007: string,
  kbo2003: string,
  kbo2008: string,
  kbo2025: string,
  texts: [string, string, string, string],
  words: Partial<Record<Language, readonly string[]>>,
  weight: number,
): Activity {
  const [en, fr, no, nl] = texts;
  return { nace, sic, naf, sn2007, kbo2003, kbo2008, kbo2025, text: { en, fr, no, nl }, words, weight };
}

/** The activity of universities and of public administrations, for public bodies. */
export const UNIVERSITY_ACTIVITY = ACTIVITIES.find((a) => a.nace === '85.42') as Activity;
export const GOVERNMENT_ACTIVITY = ACTIVITIES.find((a) => a.nace === '84.11') as Activity;
export const HOSTING_ACTIVITY = ACTIVITIES.find((a) => a.nace === '63.11') as Activity;
export const WIRED_TELECOM_ACTIVITY = ACTIVITIES.find((a) => a.nace === '61.10') as Activity;
export const MOBILE_TELECOM_ACTIVITY = ACTIVITIES.find((a) => a.nace === '61.20') as Activity;

/** Activities for ordinary companies, with their weights. */
export const COMMERCIAL_ACTIVITIES: readonly (readonly [Activity, number])[] = ACTIVITIES.filter(
  (a) => a.weight > 0 && !['61.10', '61.20', '63.11'].includes(a.nace),
).map(
  (a) => [a, a.weight] as const,
);

/** A place: city, how its postcodes look, and its region. */
export interface Place {
  city: string;
  postcodes: readonly string[];
  region: string;
}

/** Places per country (ISO 3166 alpha-2). Postcode patterns: # is a digit, @ a letter. */
export const PLACES: Record<string, readonly Place[]> = {
  GB: [
    { city: 'LONDON', postcodes: ['EC1A #@@', 'EC2A #@@', 'W1D #@@', 'SE1 #@@', 'N1 #@@', 'E14 #@@'], region: 'GREATER LONDON' },
    { city: 'MANCHESTER', postcodes: ['M1 #@@', 'M4 #@@', 'M15 #@@'], region: 'GREATER MANCHESTER' },
    { city: 'BIRMINGHAM', postcodes: ['B1 #@@', 'B3 #@@', 'B15 #@@'], region: 'WEST MIDLANDS' },
    { city: 'LEEDS', postcodes: ['LS1 #@@', 'LS10 #@@'], region: 'WEST YORKSHIRE' },
    { city: 'GLASGOW', postcodes: ['G1 #@@', 'G2 #@@'], region: 'LANARKSHIRE' },
    { city: 'EDINBURGH', postcodes: ['EH1 #@@', 'EH3 #@@'], region: 'MIDLOTHIAN' },
    { city: 'BRISTOL', postcodes: ['BS1 #@@', 'BS8 #@@'], region: 'AVON' },
    { city: 'CARDIFF', postcodes: ['CF10 #@@', 'CF24 #@@'], region: 'SOUTH GLAMORGAN' },
    { city: 'BELFAST', postcodes: ['BT1 #@@', 'BT9 #@@'], region: 'COUNTY ANTRIM' },
    { city: 'READING', postcodes: ['RG1 #@@', 'RG2 #@@'], region: 'BERKSHIRE' },
    { city: 'CAMBRIDGE', postcodes: ['CB1 #@@', 'CB2 #@@'], region: 'CAMBRIDGESHIRE' },
    { city: 'SHEFFIELD', postcodes: ['S1 #@@', 'S35 #@@'], region: 'SOUTH YORKSHIRE' },
  ],
  FR: [
    { city: 'PARIS', postcodes: ['750##'], region: 'Île-de-France' },
    { city: 'LYON', postcodes: ['6900#'], region: 'Auvergne-Rhône-Alpes' },
    { city: 'MARSEILLE', postcodes: ['1300#', '1301#'], region: "Provence-Alpes-Côte d'Azur" },
    { city: 'TOULOUSE', postcodes: ['31000', '31100', '31200', '31300', '31400', '31500'], region: 'Occitanie' },
    { city: 'NANTES', postcodes: ['44000', '44100', '44200', '44300'], region: 'Pays de la Loire' },
    { city: 'BORDEAUX', postcodes: ['33000', '33100', '33200', '33300', '33800'], region: 'Nouvelle-Aquitaine' },
    { city: 'LILLE', postcodes: ['59000', '59160', '59260', '59777', '59800'], region: 'Hauts-de-France' },
    { city: 'STRASBOURG', postcodes: ['67000', '67100', '67200'], region: 'Grand Est' },
    { city: 'RENNES', postcodes: ['35000', '35200', '35700'], region: 'Bretagne' },
    { city: 'GRENOBLE', postcodes: ['38000', '38100'], region: 'Auvergne-Rhône-Alpes' },
    { city: 'MONTPELLIER', postcodes: ['34000', '34070', '34080', '34090'], region: 'Occitanie' },
    { city: 'SAINT-ÉTIENNE', postcodes: ['42000', '42100'], region: 'Auvergne-Rhône-Alpes' },
  ],
  NO: [
    { city: 'OSLO', postcodes: ['01##', '02##', '04##', '05##', '06##'], region: 'Oslo' },
    { city: 'BERGEN', postcodes: ['50##', '51##'], region: 'Vestland' },
    { city: 'TRONDHEIM', postcodes: ['70##', '74##'], region: 'Trøndelag' },
    { city: 'STAVANGER', postcodes: ['40##'], region: 'Rogaland' },
    { city: 'TROMSØ', postcodes: ['90##'], region: 'Troms' },
    { city: 'KRISTIANSAND', postcodes: ['46##'], region: 'Agder' },
    { city: 'ÅLESUND', postcodes: ['60##'], region: 'Møre og Romsdal' },
    { city: 'BODØ', postcodes: ['80##'], region: 'Nordland' },
    { city: 'SANDNES', postcodes: ['43##'], region: 'Rogaland' },
    { city: 'DRAMMEN', postcodes: ['30##'], region: 'Buskerud' },
  ],
  BE: [
    { city: 'Brussel', postcodes: ['1000', '1040', '1050', '1060'], region: 'Brussel' },
    { city: 'Antwerpen', postcodes: ['2000', '2018', '2060'], region: 'Antwerpen' },
    { city: 'Gent', postcodes: ['9000', '9030', '9040'], region: 'Oost-Vlaanderen' },
    { city: 'Liège', postcodes: ['4000', '4020'], region: 'Liège' },
    { city: 'Charleroi', postcodes: ['6000', '6001'], region: 'Hainaut' },
    { city: 'Leuven', postcodes: ['3000', '3001', '3010'], region: 'Vlaams-Brabant' },
    { city: 'Brugge', postcodes: ['8000', '8200'], region: 'West-Vlaanderen' },
    { city: 'Namur', postcodes: ['5000', '5100'], region: 'Namur' },
    { city: 'Mechelen', postcodes: ['2800'], region: 'Antwerpen' },
    { city: 'Hasselt', postcodes: ['3500', '3510'], region: 'Limburg' },
  ],
  EE: [
    { city: 'Tallinn', postcodes: ['101##', '104##', '106##', '113##', '135##'], region: 'Harju maakond' },
    { city: 'Tartu', postcodes: ['500##', '504##'], region: 'Tartu maakond' },
    { city: 'Narva', postcodes: ['203##'], region: 'Ida-Viru maakond' },
    { city: 'Pärnu', postcodes: ['800##'], region: 'Pärnu maakond' },
    { city: 'Viljandi', postcodes: ['710##'], region: 'Viljandi maakond' },
  ],
  // Republic cities stand alone; a town in a county carries the county (Latvian addresses write both).
  LV: [
    { city: 'Rīga', postcodes: ['LV-10##', 'LV-101#'], region: 'Rīga' },
    { city: 'Daugavpils', postcodes: ['LV-54##'], region: 'Daugavpils' },
    { city: 'Liepāja', postcodes: ['LV-34##'], region: 'Liepāja' },
    { city: 'Jelgava', postcodes: ['LV-30##'], region: 'Jelgava' },
    { city: 'Valmiera', postcodes: ['LV-42##'], region: 'Valmieras nov.' },
    { city: 'Dundaga', postcodes: ['LV-327#'], region: 'Talsu nov.' },
    { city: 'Sigulda', postcodes: ['LV-215#'], region: 'Siguldas nov.' },
  ],
  IE: [
    { city: 'DUBLIN 2', postcodes: ['D02 @#@#'], region: 'DUBLIN' },
    { city: 'DUBLIN 4', postcodes: ['D04 @#@#'], region: 'DUBLIN' },
    { city: 'CORK', postcodes: ['T12 @#@#'], region: 'CO. CORK' },
    { city: 'GALWAY', postcodes: ['H91 @#@#'], region: 'CO. GALWAY' },
    { city: 'LIMERICK', postcodes: ['V94 @#@#'], region: 'CO. LIMERICK' },
  ],
  FI: [
    { city: 'HELSINKI', postcodes: ['001##', '005##'], region: 'Uusimaa' },
    { city: 'ESPOO', postcodes: ['021##', '026##'], region: 'Uusimaa' },
    { city: 'TAMPERE', postcodes: ['331##'], region: 'Pirkanmaa' },
    { city: 'TURKU', postcodes: ['201##'], region: 'Varsinais-Suomi' },
    { city: 'OULU', postcodes: ['901##'], region: 'Pohjois-Pohjanmaa' },
  ],
  SE: [
    { city: 'STOCKHOLM', postcodes: ['111 ##', '114 ##', '171 ##'], region: 'Stockholms län' },
    { city: 'GÖTEBORG', postcodes: ['411 ##', '417 ##'], region: 'Västra Götalands län' },
    { city: 'MALMÖ', postcodes: ['211 ##'], region: 'Skåne län' },
    { city: 'UPPSALA', postcodes: ['753 ##'], region: 'Uppsala län' },
    { city: 'LINKÖPING', postcodes: ['582 ##'], region: 'Östergötlands län' },
    { city: 'ÖREBRO', postcodes: ['702 ##'], region: 'Örebro län' },
  ],
  CZ: [
    { city: 'Praha', postcodes: ['110 00', '120 00', '140 00', '150 00'], region: 'Hlavní město Praha' },
    { city: 'Brno', postcodes: ['602 00', '612 00'], region: 'Jihomoravský kraj' },
    { city: 'Ostrava', postcodes: ['702 00', '709 00'], region: 'Moravskoslezský kraj' },
    { city: 'Plzeň', postcodes: ['301 00'], region: 'Plzeňský kraj' },
    { city: 'Liberec', postcodes: ['460 01'], region: 'Liberecký kraj' },
  ],
  LT: [
    { city: 'Vilnius', postcodes: ['LT-01###', 'LT-08###'], region: 'Vilniaus apskr.' },
    { city: 'Kaunas', postcodes: ['LT-44###'], region: 'Kauno apskr.' },
    { city: 'Klaipėda', postcodes: ['LT-92###'], region: 'Klaipėdos apskr.' },
    { city: 'Šiauliai', postcodes: ['LT-76###'], region: 'Šiaulių apskr.' },
    { city: 'Panevėžys', postcodes: ['LT-35###'], region: 'Panevėžio apskr.' },
  ],
  DE: [
    { city: 'Berlin', postcodes: ['10###', '12###'], region: 'Berlin' },
    { city: 'München', postcodes: ['80###', '81###'], region: 'Bayern' },
    { city: 'Hamburg', postcodes: ['20###', '22###'], region: 'Hamburg' },
    { city: 'Köln', postcodes: ['50###', '51###'], region: 'Nordrhein-Westfalen' },
    { city: 'Düsseldorf', postcodes: ['40###'], region: 'Nordrhein-Westfalen' },
  ],
  NL: [
    { city: 'Amsterdam', postcodes: ['10## @@'], region: 'Noord-Holland' },
    { city: 'Rotterdam', postcodes: ['30## @@'], region: 'Zuid-Holland' },
    { city: 'Utrecht', postcodes: ['35## @@'], region: 'Utrecht' },
    { city: 'Eindhoven', postcodes: ['56## @@'], region: 'Noord-Brabant' },
  ],
  IT: [
    { city: 'Milano', postcodes: ['201##'], region: 'Lombardia' },
    { city: 'Roma', postcodes: ['001##'], region: 'Lazio' },
  ],
  ES: [
    { city: 'Madrid', postcodes: ['280##'], region: 'Madrid' },
    { city: 'Barcelona', postcodes: ['080##'], region: 'Cataluña' },
  ],
  US: [
    { city: 'New York', postcodes: ['100##'], region: 'US-NY' },
    { city: 'Chicago', postcodes: ['606##'], region: 'US-IL' },
    { city: 'Boston', postcodes: ['021##'], region: 'US-MA' },
  ],
  JP: [{ city: 'Tokyo', postcodes: ['100-00##'], region: 'JP-13' }],
  ZA: [{ city: 'Johannesburg', postcodes: ['20##'], region: 'ZA-GP' }],
  BR: [{ city: 'São Paulo', postcodes: ['01###-###'], region: 'BR-SP' }],
};

/** Street name stems per language; a house number and the stem make an address line. */
export const STREETS: Record<string, readonly string[]> = {
  GB: ['HIGH STREET', 'STATION ROAD', 'CHURCH LANE', 'MILL ROAD', 'PARK AVENUE', 'VICTORIA STREET', 'KING STREET', 'QUEENS ROAD', 'BRIDGE STREET', 'NEW ROAD'],
  FR: ['RUE DE LA RÉPUBLIQUE', 'AVENUE JEAN JAURÈS', 'RUE VICTOR HUGO', 'BOULEVARD GAMBETTA', 'RUE DU GÉNÉRAL LECLERC', 'RUE PASTEUR', 'AVENUE DE LA GARE', 'RUE DES ÉCOLES'],
  NO: ['Storgata', 'Kirkegata', 'Strandveien', 'Industriveien', 'Sjøgata', 'Parkveien', 'Skolegata', 'Havnegata'],
  BE: ['Kerkstraat', 'Stationsstraat', 'Dorpsstraat', 'Rue de la Station', 'Grand-Place', 'Nieuwstraat', 'Rue du Moulin', 'Industrielaan'],
  LV: ['Brīvības iela', 'Krišjāņa Barona iela', 'Elizabetes iela', 'Rīgas iela', 'Pils iela', 'Skolas iela', 'Dzirnavu iela', 'Lāčplēša iela'],
  IE: ['MAIN STREET', 'HIGH STREET', 'BAGGOT STREET', 'HARCOURT STREET', 'DOCKLANDS', 'BUSINESS PARK'],
  FI: ['Mannerheimintie', 'Hämeenkatu', 'Aleksanterinkatu', 'Teollisuuskatu', 'Keilaranta', 'Satamakatu'],
  SE: ['Storgatan', 'Kungsgatan', 'Drottninggatan', 'Sveavägen', 'Industrivägen', 'Järnvägsgatan', 'Box'],
  CZ: ['Vodičkova', 'Masarykova', 'Husova', 'Nádražní', 'Palackého', 'Žižkova', 'Komenského'],
  LT: ['Gedimino pr.', 'Laisvės al.', 'Konstitucijos pr.', 'Tiltų g.', 'Vilniaus g.', 'Savanorių pr.', 'Ukmergės g.'],
  EE: ['Pärnu mnt', 'Narva mnt', 'Tartu mnt', 'Õismäe tee', 'Kesk tn', 'Pikk tn', 'Mustamäe tee', 'Sõpruse pst'],
  DE: ['Hauptstraße', 'Bahnhofstraße', 'Schulstraße', 'Gartenstraße', 'Müllerstraße'],
  NL: ['Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Molenweg'],
  IT: ['Via Roma', 'Via Garibaldi'],
  ES: ['Calle Mayor', 'Gran Vía'],
  US: ['Main Street', 'Summer Street', 'Broadway'],
  JP: ['Marunouchi'],
  ZA: ['Main Road'],
  BR: ['Avenida Paulista'],
};

/** Given names and family names per country, for sole traders and public-body names. */
export const PEOPLE: Record<string, { given: readonly string[]; family: readonly string[] }> = {
  GB: { given: ['James', 'Oliver', 'Amelia', 'Olivia', 'Harry', 'Emily', 'George', 'Sophie'], family: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas'] },
  FR: { given: ['Jean', 'Marie', 'Pierre', 'Nathalie', 'Philippe', 'Isabelle', 'Michel', 'Sylvie', 'Éric', 'Hélène'], family: ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEFÈVRE', 'MOREAU'] },
  NO: { given: ['Ola', 'Kari', 'Lars', 'Ingrid', 'Bjørn', 'Solveig', 'Håkon', 'Åse'], family: ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Sæther', 'Bråten'] },
  BE: { given: ['Luc', 'An', 'Marc', 'Els', 'Jan', 'Sofie', 'Pierre', 'Chantal'], family: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Dubois', 'Lambert', 'Dupont'] },
  EE: { given: ['Andres', 'Kadri', 'Mart', 'Liis', 'Jüri', 'Tiina', 'Märt', 'Ülle'], family: ['Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask', 'Kukk', 'Rebane', 'Ilves', 'Pärn', 'Kõiv'] },
  LV: { given: ['Jānis', 'Anna', 'Andris', 'Inese', 'Māris', 'Līga', 'Edgars', 'Ilze'], family: ['Bērziņš', 'Kalniņš', 'Ozoliņš', 'Jansons', 'Liepiņš', 'Krūmiņš', 'Balodis', 'Zariņš'] },
  IE: { given: ['Seán', 'Aoife', 'Patrick', 'Siobhán', 'Ciarán', 'Niamh'], family: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', 'Byrne', 'Ryan'] },
  FI: { given: ['Matti', 'Anna', 'Juha', 'Liisa', 'Mikko', 'Päivi'], family: ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Hämäläinen', 'Järvinen'] },
  SE: { given: ['Lars', 'Anna', 'Mikael', 'Eva', 'Johan', 'Karin', 'Björn', 'Åsa'], family: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Öberg', 'Sjögren'] },
  CZ: { given: ['Jan', 'Jana', 'Petr', 'Eva', 'Tomáš', 'Lucie', 'Jiří', 'Hana'], family: ['Novák', 'Svoboda', 'Novotný', 'Dvořák', 'Černý', 'Procházka', 'Kučera', 'Veselý'] },
  LT: { given: ['Jonas', 'Ona', 'Tomas', 'Rūta', 'Mindaugas', 'Eglė', 'Darius', 'Aušra'], family: ['Kazlauskas', 'Jankauskas', 'Petrauskas', 'Stankevičius', 'Vasiliauskas', 'Žukauskas', 'Butkus', 'Paulauskas'] },
  DE: { given: ['Thomas', 'Anna', 'Jürgen', 'Petra'], family: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Schäfer'] },
};

/** Transliterations a WHOIS writer uses where the register keeps the letter. */
export const TRANSLITERATIONS: readonly (readonly [string, string])[] = [
  ['ü', 'ue'], ['ö', 'oe'], ['ä', 'ae'], ['ß', 'ss'], ['ø', 'oe'], ['å', 'aa'], ['æ', 'ae'], ['õ', 'o'],
  ['Ü', 'UE'], ['Ö', 'OE'], ['Ä', 'AE'], ['Ø', 'OE'], ['Å', 'AA'], ['Æ', 'AE'], ['Õ', 'O'],
];
