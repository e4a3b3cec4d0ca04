/**
 * Word lists and text fragments for the demo scenario. Everything here is invented: the people,
 * outlets and parties are fictional (common given names and family names combined at random),
 * and the posts paraphrase the kinds of things that were said during the 2021 farmers' protest.
 */

export const HASHTAGS = {
  genocide: "ModiPlanningFarmerGenocide",
  pro: [
    "FarmersProtest",
    "IStandWithFarmers",
    "NoFarmersNoFood",
    "KisanAndolan",
    "FarmersProtest2021",
    "RepealFarmLaws",
    "FarmLaws",
    "KisanEkta",
    "SpeakUpForFarmers",
  ],
  proHi: ["किसान_आंदोलन", "किसान_एकता"],
  proPa: ["ਕਿਸਾਨ_ਏਕਤਾ", "ਕਿਸਾਨ_ਮੋਰਚਾ"],
  counter: ["IndiaTogether", "IndiaAgainstPropaganda", "FarmLawsForFarmers", "RedFortViolence"],
  neutral: ["FarmersProtest", "FarmLaws", "Delhi", "Punjab", "Haryana"],
  redfort: ["TractorRally", "RepublicDay", "RedFort"],
  chakkaJam: ["ChakkaJam"],
} as const;

/**
 * Spellings of #ModiPlanningFarmerGenocide used to get around the restriction. Every one of them
 * is extracted whole by twitter-text: letter case, Cyrillic look-alikes (U+0430 а, U+043E о,
 * U+0435 е, U+0456 і, U+041C М, U+0420 Р, U+0441 с), zero-width joiner / non-joiner (U+200D,
 * U+200C; a zero-width space would end the hashtag), underscores, a Latin accent and full-width
 * letters.
 */
export const GENOCIDE_VARIANTS: readonly string[] = [
  "modiplanningfarmergenocide",
  "MODIPLANNINGFARMERGENOCIDE",
  "ModiplanningFarmerGenocide",
  "Modi_Planning_Farmer_Genocide",
  "ModiPlanning_FarmerGenocide",
  "modi_planning_farmer_genocide",
  "M\u043EdiPlanningFarmerGen\u043Ecide",
  "ModiPl\u0430nningF\u0430rmerGenocide",
  "\u041CodiPlanningFarmerGenocid\u0435",
  "Mod\u0456\u0420lanningFarmerGeno\u0441ide",
  "Modi\u200DPlanningFarmerGenocide",
  "ModiPlanning\u200CFarmer\u200CGenocide",
  "Modi\u200DPlanning\u200DFarmer\u200DGenocide",
  "M\u043Edi_Planning_Farmer_Gen\u043Ecide",
  "ModiPlanningFarmerGenoc\u00EDde",
  "\uFF2D\uFF4F\uFF44\uFF49\uFF30\uFF4C\uFF41\uFF4E\uFF4E\uFF49\uFF4E\uFF47\uFF26\uFF41\uFF52\uFF4D\uFF45\uFF52\uFF27\uFF45\uFF4E\uFF4F\uFF43\uFF49\uFF44\uFF45",
];

// ---------------------------------------------------------------------------------------------
// Names

export const IN_FIRST_MALE = [
  "Gurpreet",
  "Harpreet",
  "Jaspreet",
  "Manpreet",
  "Amandeep",
  "Navdeep",
  "Sukhdeep",
  "Rajinder",
  "Baljit",
  "Kuldeep",
  "Paramjit",
  "Jagdeep",
  "Hardeep",
  "Gurdev",
  "Sukhwinder",
  "Ranjit",
  "Inderjit",
  "Tejinder",
  "Arvind",
  "Rohit",
  "Vikas",
  "Ankit",
  "Sandeep",
  "Pradeep",
  "Manoj",
  "Suresh",
  "Ajay",
  "Vivek",
  "Nitin",
  "Deepak",
  "Sanjay",
  "Karan",
  "Arjun",
  "Varun",
  "Siddharth",
  "Aditya",
  "Kunal",
  "Mohit",
  "Abhishek",
  "Tarun",
  "Gaurav",
  "Harjot",
  "Lakhvir",
  "Jaswant",
  "Balwinder",
  "Satnam",
  "Gurbax",
  "Mandeep",
  "Ravinder",
  "Pawan",
  "Naveen",
  "Sumit",
  "Yogesh",
] as const;

export const IN_FIRST_FEMALE = [
  "Simran",
  "Harleen",
  "Navneet",
  "Jasleen",
  "Gurleen",
  "Manjeet",
  "Kirandeep",
  "Rupinder",
  "Amrit",
  "Priya",
  "Neha",
  "Pooja",
  "Anjali",
  "Kavita",
  "Sunita",
  "Ritu",
  "Shalini",
  "Megha",
  "Aarti",
  "Divya",
  "Sneha",
  "Nisha",
  "Swati",
  "Rashmi",
  "Shreya",
  "Aditi",
  "Ishita",
  "Tanvi",
  "Harsimran",
  "Rajvir",
  "Baljinder",
  "Sukhpreet",
  "Kamaljit",
  "Parminder",
  "Jyoti",
  "Komal",
  "Preeti",
] as const;

export const IN_LAST = [
  "Sandhu",
  "Gill",
  "Dhillon",
  "Sidhu",
  "Brar",
  "Grewal",
  "Bains",
  "Virk",
  "Randhawa",
  "Cheema",
  "Aulakh",
  "Bajwa",
  "Sekhon",
  "Johal",
  "Dhaliwal",
  "Chahal",
  "Hundal",
  "Sharma",
  "Verma",
  "Gupta",
  "Kumar",
  "Chauhan",
  "Dahiya",
  "Hooda",
  "Sangwan",
  "Rana",
  "Mishra",
  "Tiwari",
  "Pandey",
  "Joshi",
  "Mehta",
  "Nair",
  "Menon",
  "Iyer",
  "Reddy",
  "Rao",
  "Das",
  "Sen",
  "Chatterjee",
  "Khanna",
  "Arora",
  "Bhatia",
  "Sethi",
  "Saini",
  "Kang",
  "Toor",
  "Dhindsa",
  "Pannu",
  "Sohal",
  "Mangat",
  "Bhullar",
  "Sran",
  "Deol",
] as const;

export const PK_FIRST = [
  "Ahmed",
  "Bilal",
  "Usman",
  "Hamza",
  "Hassan",
  "Faisal",
  "Adeel",
  "Waqas",
  "Kashif",
  "Saad",
  "Ayesha",
  "Fatima",
  "Sana",
  "Hira",
  "Zainab",
  "Mehwish",
  "Amna",
  "Rabia",
  "Noor",
  "Arslan",
  "Shahid",
  "Tariq",
  "Asad",
  "Umair",
  "Sadia",
  "Nimra",
] as const;

export const PK_LAST = [
  "Qureshi",
  "Butt",
  "Chaudhry",
  "Awan",
  "Raja",
  "Mirza",
  "Sheikh",
  "Siddiqui",
  "Abbasi",
  "Hashmi",
  "Javed",
  "Iqbal",
  "Aslam",
  "Gondal",
  "Warraich",
  "Cheema",
  "Bajwa",
  "Ansari",
  "Baig",
] as const;

export const WEST_FIRST = [
  "James",
  "Emma",
  "Olivia",
  "Liam",
  "Noah",
  "Sophie",
  "Jack",
  "Chloe",
  "Ethan",
  "Mia",
  "Lucas",
  "Grace",
  "Ryan",
  "Hannah",
  "Nathan",
  "Megan",
  "Owen",
  "Laura",
  "Daniel",
  "Rachel",
  "Ben",
  "Katie",
  "Sam",
  "Ellie",
  "Maya",
  "Tom",
  "Isla",
  "Zoe",
  "Aaron",
  "Leah",
] as const;

export const WEST_LAST = [
  "Clarke",
  "Walker",
  "Bennett",
  "Hughes",
  "Foster",
  "Turner",
  "Parker",
  "Collins",
  "Murray",
  "Reid",
  "Fraser",
  "Lawson",
  "Doyle",
  "Hartley",
  "Pearson",
  "Wells",
  "Barker",
  "Fleming",
  "Dawson",
  "Sutton",
  "McLeod",
  "Okafor",
  "Novak",
  "Moreau",
] as const;

export const DE_FIRST = ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Paul", "Hanna"] as const;
export const DE_LAST = ["Müller", "Schmidt", "Becker", "Wagner", "Hoffmann", "Schäfer", "Krüger"] as const;

export const NEWS_REGIONS = [
  "Punjab",
  "Doaba",
  "Malwa",
  "Majha",
  "Indus",
  "Yamuna",
  "Frontier",
  "Northern",
  "Capital",
  "Sutlej",
  "Ravi",
  "Chenab",
  "Awadh",
  "Haryana",
  "Kisan",
  "Gram",
  "Harvest",
  "Five Rivers",
  "Plains",
  "Delhi Border",
  "Rural India",
  "Mandi",
] as const;

export const NEWS_NOUNS = [
  "Herald",
  "Ledger",
  "Dispatch",
  "Chronicle",
  "Courier",
  "Wire",
  "Post",
  "Review",
  "Daily",
  "Observer",
  "Mirror",
  "Bulletin",
  "Gazette",
  "Sentinel",
  "Report",
  "Khabar",
  "Samachar",
  "Live",
] as const;

export const FOREIGN_OUTLETS: readonly (readonly [string, string])[] = [
  ["Maple Leaf Wire", "CA"],
  ["Fraser Valley Times", "CA"],
  ["Peel Region Post", "CA"],
  ["Thames Observer", "GB"],
  ["Midlands Courier", "GB"],
  ["Southall Gazette", "GB"],
  ["Pacific Daily Report", "US"],
  ["Central Valley Ledger", "US"],
  ["Harbour City News", "AU"],
  ["Gulf Desk", "AE"],
  ["South Asia Monitor", "GB"],
  ["Diaspora Dispatch", "CA"],
];

export const PARTIES = [
  "Lok Kalyan Party",
  "Pragati Jan Morcha",
  "Haryali Dal",
  "Panj Aab Front",
  "Nav Nirman Party",
  "Sanjha Morcha",
  "Rashtriya Pragati Dal",
] as const;

export const PLACES_IN = [
  "Ludhiana",
  "Amritsar",
  "Jalandhar",
  "Patiala",
  "Bathinda",
  "Moga",
  "Sangrur",
  "Barnala",
  "Hoshiarpur",
  "Karnal",
  "Sonipat",
  "Rohtak",
  "Hisar",
  "Jind",
  "Meerut",
  "Delhi",
  "Chandigarh",
  "Mumbai",
  "Bengaluru",
  "Lucknow",
  "Jaipur",
  "Dehradun",
  "Kolkata",
  "Pune",
] as const;

export const PLACES_ABROAD: Readonly<Record<string, readonly string[]>> = {
  US: ["Fresno", "Yuba City", "Queens", "Houston", "Seattle", "New Jersey"],
  GB: ["Southall", "Birmingham", "Leicester", "Wolverhampton", "London", "Slough"],
  CA: ["Brampton", "Surrey BC", "Mississauga", "Calgary", "Winnipeg", "Abbotsford"],
  PK: ["Lahore", "Karachi", "Faisalabad", "Islamabad", "Rawalpindi", "Sialkot"],
  AU: ["Melbourne", "Sydney", "Perth"],
  NZ: ["Auckland", "Hamilton"],
  AE: ["Dubai", "Abu Dhabi", "Sharjah"],
  DE: ["Frankfurt", "Hamburg", "Cologne"],
  SG: ["Singapore"],
  MY: ["Kuala Lumpur"],
  IT: ["Brescia", "Latina"],
  NL: ["Amsterdam"],
  FR: ["Paris"],
};

// ---------------------------------------------------------------------------------------------
// Bios

export const BIO_JOURNALIST = [
  "Correspondent at {outlet}. Covering agriculture, rural distress and protests. Views personal.",
  "Reporter, {outlet}. Farms, land and labour. DMs open for tips.",
  "Senior journalist. Ex-{outlet}. Writing on politics and the countryside.",
  "Independent journalist and documentary maker. {place}.",
  "Photojournalist. On the road between {place} and the Delhi borders.",
  "Political editor at {outlet}. RTs are not endorsements.",
  "Freelance reporter. Bylines in {outlet} and elsewhere.",
  "Data journalist. Crop prices, mandis and MSP. {place}.",
];

export const BIO_ACTIVIST = [
  "Farmers' rights organiser. At the Singhu border since November.",
  "Land rights and labour activist. {place}.",
  "Volunteer at the Tikri langar. Seva is my religion.",
  "Student activist. Food sovereignty and climate justice.",
  "Trade unionist. Kisan Mazdoor Ekta Zindabad.",
  "Human rights defender. Lawyer. {place}.",
  "Organiser with a farmers' collective in {place}.",
  "Writer and activist. Standing with the annadata.",
];

export const BIO_POLITICIAN = [
  "Member of Parliament, {party}. Son of a farmer.",
  "MLA. {party}. Serving the people of {place}.",
  "National spokesperson, {party}.",
  "Former MLA and farmer. {party}.",
  "State president, {party} youth wing.",
  "General secretary, {party}. Views my own.",
  "Councillor, {place}. {party}.",
];

export const BIO_POLITICIAN_ABROAD = [
  "Member of Parliament for {place}. Working for families across our community.",
  "City councillor, {place}. Proud of our diverse community.",
  "Member of the Legislative Assembly, {place}.",
];

export const BIO_ORDINARY = [
  "Engineer. Cricket fan.",
  "Proud Punjabi 🌾",
  "Farmer's daughter.",
  "Dad, runner, chai drinker.",
  "Software developer | {place}",
  "Retired teacher. {place}.",
  "Student.",
  "Jatt from {place}",
  "Views are my own.",
  "Proud Indian 🇮🇳 Nation first.",
  "Small business owner.",
  "Truck driver in {place}.",
  "Doctor. Foodie. Traveller.",
  "Living in {place}. Missing home.",
  "Musician 🎶",
  "Kisan da putt 🚜",
  "Lawyer. Tea. Books.",
  "Here for the news.",
  "Nurse | {place}",
  "बस यूँ ही।",
  "ਪੰਜਾਬ ਦਾ ਪੁੱਤ",
  "Jai Hind 🇮🇳",
];

export const BIO_NEWS = [
  "News and analysis from {place} and the region. Breaking news, ground reports, opinion.",
  "Independent news from the villages of North India.",
  "Your trusted source for {place} news since 1998.",
  "Digital news platform. Politics, farming, people.",
  "Official account of {name}. Follow for live updates.",
];

// ---------------------------------------------------------------------------------------------
// Posts. Phases: pre (to 25 Jan), redfort (26-27 Jan), crackdown (28-30 Jan), shutdown (31 Jan -
// 1 Feb), global (2-5 Feb), late (6-10 Feb).

export type Phase = "pre" | "redfort" | "crackdown" | "shutdown" | "global" | "late";
export type Stance = "pro" | "counter" | "neutral";

export const BORDERS = [
  "Singhu border",
  "Tikri border",
  "Ghazipur border",
  "Shahjahanpur border",
  "Singhu",
  "Tikri",
  "Ghazipur",
];

export const EN_PRO_OPENERS = [
  "",
  "",
  "",
  "Day {day} at {border}.",
  "Just back from {border}.",
  "Visuals from {border} this morning.",
  "Update from {border}:",
  "Ground report:",
  "Powerful scenes at {border}.",
  "Sitting with farmers at {border} tonight.",
  "Read this.",
  "Thread 🧵",
  "My uncle called from {border}.",
  "Spoke to a farmer from {place} today.",
];

export const EN_PRO_BODY: Record<Phase | "any", string[]> = {
  any: [
    "Farmers have been camped here for {day} days and they are not going anywhere.",
    "Elderly farmers are sleeping on tractor trolleys in the cold.",
    "The community kitchens are feeding thousands of people every day.",
    "All they ask is repeal of the three farm laws and a legal guarantee on MSP.",
    "Peaceful protesters should not be treated like enemies of the state.",
    "Women farmers are running the langar and the stage today.",
    "Students and workers are joining the protest in large numbers.",
    "The people who feed us deserve to be heard.",
    "More than {deaths} farmers have died at the protest sites so far.",
    "Farm unions want talks to continue, but the laws must go.",
    "Small farmers with two acres will lose the most if the mandis collapse.",
    "Contract farming without safeguards leaves farmers at the mercy of corporations.",
    "Nobody leaves until the black laws are gone.",
    "Trolleys full of rations keep arriving from the villages.",
    "The youth are cleaning the site and running free libraries.",
    "This is about land, dignity and the next generation.",
    "Every family in my village has someone at the border.",
  ],
  pre: [
    "Thousands of tractors are lining up for the Republic Day parade.",
    "The tractor rally route has been agreed with the police.",
    "Tomorrow farmers will march with the national flag on their tractors.",
    "Villages are sending one tractor from every household.",
  ],
  redfort: [
    "Nobody at the borders supports what happened at the Red Fort.",
    "A few miscreants cannot define a movement of lakhs of farmers.",
    "Most of the tractor rally was peaceful and followed the agreed route.",
    "Who let a crowd walk into the Red Fort with no police in sight?",
    "A young farmer died during the tractor rally and nobody is asking how.",
  ],
  crackdown: [
    "Police tried to clear the Ghazipur site at night and farmers refused to leave.",
    "Water and power to the camps have been cut.",
    "Mobs were sent to attack the Singhu camp while police watched.",
    "Overnight thousands more farmers reached Ghazipur after the appeal.",
    "Cases are being filed against farm leaders one after another.",
  ],
  shutdown: [
    "Internet has been shut down around Singhu, Tikri and Ghazipur.",
    "They cut the internet so the world cannot see what is happening.",
    "Journalists are being detained for reporting from the protest sites.",
    "Accounts reporting on the protest have gone dark overnight.",
    "Concrete walls and nails on the road now. Is this how you treat citizens?",
  ],
  global: [
    "The whole world is finally talking about the farmers.",
    "Why is a tweet from abroad more offensive than nails on the road?",
    "Solidarity rallies are being held in London, Toronto and Melbourne.",
    "Calling the farmers terrorists will not make them go home.",
    "Speaking about human rights is not interference.",
  ],
  late: [
    "The chakka jam was peaceful from Punjab to Karnataka.",
    "Roads were blocked for three hours and not a single incident was reported.",
    "Mahapanchayats are drawing huge crowds across Haryana and western UP.",
    "The movement is spreading village by village.",
  ],
};

export const EN_PRO_CLOSERS = [
  "",
  "",
  "Stand with them.",
  "Share widely.",
  "Please amplify.",
  "The world is watching.",
  "Jai Jawan Jai Kisan.",
  "No farmers, no food.",
  "Listen to them.",
  "History will remember this.",
  "Kisan Ekta Zindabad!",
  "Shame.",
];

export const EN_COUNTER_BODY: Record<Phase | "any", string[]> = {
  any: [
    "The farm laws will help small farmers get better prices.",
    "The government has offered to put the laws on hold for eighteen months.",
    "Vested interests are misleading honest farmers.",
    "Middlemen are the ones who lose from these reforms.",
    "Most farmers in the country support the reforms.",
    "Protest is a right, blocking highways for months is not.",
    "Opposition parties are using farmers for their own politics.",
  ],
  pre: [
    "Holding a tractor rally on Republic Day is a provocation.",
    "The parade belongs to the nation, not to one agitation.",
  ],
  redfort: [
    "The violence at the Red Fort was an insult to every Indian.",
    "Policemen were attacked with swords and sticks on Republic Day.",
    "Those who desecrated the Red Fort must be punished.",
    "The so-called peaceful protest showed its real face today.",
  ],
  crackdown: [
    "Local villagers want the highway cleared after two months.",
    "The law must take its course against those behind the violence.",
  ],
  shutdown: [
    "Fake news about the protest is spreading faster than the truth.",
    "Temporary internet suspension is needed to stop rumours and violence.",
  ],
  global: [
    "Foreign celebrities have no business commenting on India's internal matters.",
    "This is a coordinated propaganda campaign against India.",
    "A toolkit has exposed the international conspiracy behind the protest.",
    "India's sovereignty is not up for debate.",
    "Paid tweets cannot divide this country.",
  ],
  late: [
    "The chakka jam had little support outside two states.",
    "The government is ready to talk, the unions keep moving the goalposts.",
  ],
};

export const EN_COUNTER_CLOSERS = [
  "",
  "",
  "Jai Hind.",
  "Nation first.",
  "Wake up, India.",
  "Enough.",
  "Stay united.",
];

export const EN_NEWS_PREFIX = [
  "",
  "BREAKING:",
  "LIVE:",
  "Update:",
  "Just in:",
  "Watch:",
  "Analysis:",
  "Ground report:",
];

export const EN_NEWS_BODY: Record<Phase | "any", string[]> = {
  any: [
    "Talks between the government and farm unions end without a breakthrough.",
    "Farm unions reject the offer to suspend the laws for eighteen months.",
    "Security tightened at the Delhi borders with multi-layer barricades.",
    "Farm leaders say the protest will continue until the laws are repealed.",
    "Supreme Court committee on farm laws begins consultations.",
    "Opposition parties demand a discussion on the farm laws in Parliament.",
  ],
  pre: [
    "Police allow farmers' tractor rally on Republic Day on set routes.",
    "Thousands of tractors reach the Delhi borders ahead of the Republic Day rally.",
  ],
  redfort: [
    "Protesters break away from the agreed route and reach the Red Fort.",
    "Clashes at ITO during the tractor rally; one protester dead.",
    "Police register cases after violence during the tractor rally.",
    "Farm unions distance themselves from the Red Fort violence.",
    "Mobile internet suspended in parts of Delhi after the tractor rally clashes.",
  ],
  crackdown: [
    "Administration orders the Ghazipur protest site cleared; farmers stay put.",
    "Clashes at Singhu border as a group of locals confronts protesters.",
    "Internet services suspended in several districts of Haryana.",
    "Lookout notices issued against farm union leaders.",
  ],
  shutdown: [
    "Internet suspended at Singhu, Ghazipur and Tikri until further orders.",
    "Platform withholds dozens of accounts in India after a government order.",
    "Union Budget presented amid protests at the Delhi borders.",
    "Roads near the protest sites dug up and fitted with iron spikes.",
    "Accounts withheld earlier in the day have been restored, the platform says.",
  ],
  global: [
    "International celebrities tweet in support of the farmers' protest.",
    "External Affairs Ministry criticises foreign comments on the farm protests.",
    "Police register a case over a protest toolkit shared online.",
    "Government orders the platform to block 1,178 accounts, sources say.",
    "Cricketers and film stars post in support of the government line.",
  ],
  late: [
    "Farm unions hold a three-hour nationwide chakka jam.",
    "Mahapanchayats in Haryana and western UP draw large crowds.",
    "Platform says it will not act on accounts of journalists, activists and politicians.",
    "Platform publishes an update on the blocking orders it received from the government.",
    "Government says free speech is not absolute after the platform's statement.",
  ],
};

export const HI_PRO = [
  "किसान देश का अन्नदाता है, उसकी आवाज़ सुनो।",
  "तीनों कृषि कानून वापस लो।",
  "सिंघु बॉर्डर पर आज भी हज़ारों किसान डटे हुए हैं।",
  "कड़ाके की ठंड में बुज़ुर्ग किसान सड़क पर बैठे हैं।",
  "एमएसपी की कानूनी गारंटी चाहिए।",
  "धरना स्थलों पर इंटरनेट बंद करना गलत है।",
  "लंगर में रोज़ हज़ारों लोगों को खाना मिल रहा है।",
  "किसान शांतिपूर्वक अपनी बात रख रहे हैं।",
  "गाज़ीपुर बॉर्डर पर रात भर किसान डटे रहे।",
  "जब तक कानून वापस नहीं होंगे, आंदोलन जारी रहेगा।",
  "सड़कों पर कीलें लगाना किसानों का अपमान है।",
  "गाँव-गाँव से किसान दिल्ली की ओर निकल पड़े हैं।",
  "किसानों को आतंकवादी कहना बंद करो।",
  "हमारे गाँव से आज और ट्रॉलियाँ रवाना हुईं।",
];

export const HI_COUNTER = [
  "लाल किले पर जो हुआ वह देश का अपमान है।",
  "देश की एकता सबसे ऊपर है।",
  "विदेशी ताकतें भारत को बदनाम करने की कोशिश कर रही हैं।",
  "कृषि कानूनों से छोटे किसानों को फायदा होगा।",
  "भारत के आंतरिक मामलों में दखल बर्दाश्त नहीं।",
  "यह किसान आंदोलन नहीं, प्रोपेगेंडा है।",
  "बिचौलियों की दुकान बंद होने से कुछ लोग परेशान हैं।",
];

export const HI_NEWS = [
  "किसान संगठनों और सरकार के बीच बातचीत बेनतीजा रही।",
  "दिल्ली की सीमाओं पर सुरक्षा बढ़ाई गई।",
  "हरियाणा के कई जिलों में इंटरनेट सेवाएं बंद।",
  "किसान नेताओं ने 6 फरवरी को चक्का जाम का ऐलान किया।",
  "ट्रैक्टर रैली के दौरान हिंसा के मामले में कई एफआईआर दर्ज।",
  "गाज़ीपुर बॉर्डर पर देर रात तक हलचल रही।",
  "संसद में कृषि कानूनों पर चर्चा की मांग।",
];

export const HI_OPENERS = ["", "", "आज", "ताज़ा खबर:", "ज़रूर पढ़ें:", "देखिए:"];
export const HI_PRO_CLOSERS = ["", "", "जय जवान जय किसान!", "किसान एकता ज़िंदाबाद!", "शेयर करें।"];
export const HI_COUNTER_CLOSERS = ["", "", "जय हिंद!", "भारत माता की जय!"];

export const PA_PRO = [
  "ਕਿਸਾਨ ਏਕਤਾ ਜ਼ਿੰਦਾਬਾਦ!",
  "ਅਸੀਂ ਕਿਸਾਨਾਂ ਦੇ ਨਾਲ ਖੜ੍ਹੇ ਹਾਂ।",
  "ਕਾਲੇ ਕਾਨੂੰਨ ਵਾਪਸ ਲਓ।",
  "ਸਿੰਘੂ ਬਾਰਡਰ ਤੋਂ ਅੱਜ ਦੀਆਂ ਤਸਵੀਰਾਂ।",
  "ਜਦੋਂ ਤੱਕ ਕਾਨੂੰਨ ਰੱਦ ਨਹੀਂ ਹੁੰਦੇ, ਮੋਰਚਾ ਜਾਰੀ ਰਹੇਗਾ।",
  "ਪੰਜਾਬ ਦੇ ਪਿੰਡਾਂ ਤੋਂ ਹੋਰ ਟਰਾਲੀਆਂ ਦਿੱਲੀ ਵੱਲ ਰਵਾਨਾ।",
  "ਟਿੱਕਰੀ ਬਾਰਡਰ 'ਤੇ ਲੰਗਰ ਲਗਾਤਾਰ ਚੱਲ ਰਿਹਾ ਹੈ।",
  "ਠੰਢ ਵਿੱਚ ਵੀ ਬਜ਼ੁਰਗ ਕਿਸਾਨ ਡਟੇ ਹੋਏ ਹਨ।",
  "ਕਿਸਾਨ ਸ਼ਾਂਤੀ ਨਾਲ ਆਪਣਾ ਹੱਕ ਮੰਗ ਰਹੇ ਹਨ।",
  "ਪਿੰਡ-ਪਿੰਡ ਤੋਂ ਸਮਰਥਨ ਮਿਲ ਰਿਹਾ ਹੈ।",
  "ਨੌਜਵਾਨ ਮੋਰਚੇ ਦੀ ਸੇਵਾ ਵਿੱਚ ਲੱਗੇ ਹੋਏ ਹਨ।",
  "ਕਿਸਾਨ ਨਹੀਂ ਤਾਂ ਰੋਟੀ ਨਹੀਂ।",
];

export const PA_NEWS = [
  "ਕਿਸਾਨ ਜਥੇਬੰਦੀਆਂ ਅਤੇ ਸਰਕਾਰ ਵਿਚਾਲੇ ਗੱਲਬਾਤ ਬੇਸਿੱਟਾ ਰਹੀ।",
  "ਦਿੱਲੀ ਦੀਆਂ ਸਰਹੱਦਾਂ 'ਤੇ ਸੁਰੱਖਿਆ ਸਖ਼ਤ।",
  "ਸਿੰਘੂ ਬਾਰਡਰ 'ਤੇ ਇੰਟਰਨੈੱਟ ਸੇਵਾ ਬੰਦ।",
  "ਕਿਸਾਨ ਆਗੂਆਂ ਵੱਲੋਂ ਚੱਕਾ ਜਾਮ ਦਾ ਐਲਾਨ।",
];

export const PA_COUNTER = ["ਦੇਸ਼ ਦੀ ਏਕਤਾ ਸਭ ਤੋਂ ਉੱਪਰ ਹੈ।", "ਲਾਲ ਕਿਲ੍ਹੇ 'ਤੇ ਹੋਈ ਹਿੰਸਾ ਗਲਤ ਸੀ।"];
export const PA_OPENERS = ["", "", "ਅੱਜ", "ਤਾਜ਼ਾ ਖ਼ਬਰ:", "ਜ਼ਰੂਰ ਦੇਖੋ:"];
export const PA_PRO_CLOSERS = ["", "", "ਜੈ ਜਵਾਨ ਜੈ ਕਿਸਾਨ!", "ਕਿਸਾਨ ਮਜ਼ਦੂਰ ਏਕਤਾ ਜ਼ਿੰਦਾਬਾਦ!", "ਚੜ੍ਹਦੀ ਕਲਾ 🙏"];

export const REPLIES_EN: Record<Stance, string[]> = {
  pro: [
    "Absolutely right.",
    "Thank you for reporting this.",
    "This needs to be seen by everyone.",
    "My prayers are with them.",
    "Proud of our farmers.",
    "Why is the mainstream media silent on this?",
    "Sharing this.",
    "Respect 🙏",
    "Exactly what I saw there too.",
    "They will win.",
  ],
  counter: [
    "Stop spreading fake news.",
    "Where was this concern on Republic Day?",
    "This is propaganda.",
    "Source?",
    "Not all farmers agree with this.",
    "Read the laws first.",
    "Please stop misleading people.",
  ],
  neutral: [
    "Is this confirmed?",
    "Any update on this?",
    "Which border is this?",
    "Important context.",
    "Thanks for the update.",
  ],
};

export const REPLIES_HI = [
  "बिल्कुल सही।",
  "सच दिखाने के लिए धन्यवाद।",
  "यह सब झूठ है।",
  "सबको देखना चाहिए।",
  "किसान ज़िंदाबाद।",
];
export const REPLIES_PA = ["ਬਿਲਕੁਲ ਸਹੀ।", "ਚੜ੍ਹਦੀ ਕਲਾ।", "ਸਾਰਿਆਂ ਨੂੰ ਦੇਖਣਾ ਚਾਹੀਦਾ ਹੈ।", "ਵਾਹਿਗੁਰੂ ਮਿਹਰ ਕਰੇ 🙏"];

export const QUOTES_EN: Record<Stance, string[]> = {
  pro: [
    "Read this.",
    "This. 👇",
    "Important thread.",
    "Must watch.",
    "Heartbreaking.",
    "Please share.",
    "Everyone should see this.",
  ],
  counter: [
    "Fake news alert.",
    "Exposed.",
    "Look at this propaganda.",
    "And they call it a peaceful protest.",
    "Shameful.",
  ],
  neutral: ["Context:", "Worth reading.", "Key points below.", "Our earlier report:"],
};

export const GENOCIDE_BODY = [
  "Water cut, power cut, internet cut, roads spiked. What else do you call this?",
  "They are starving the camps out one supply line at a time.",
  "First the barricades, then the nails, now the internet. Wake up.",
  "The world must know what is being planned against the farmers.",
  "If you are silent now, you are part of it.",
  "Concrete walls around peaceful people. This is how it starts.",
  "Farmers are dying in the cold and the state is cutting their water.",
];

export const INCITEMENT_PRO = [
  "Enough of sitting peacefully. Time to teach them a lesson they will never forget.",
  "Whoever laid those nails on the road should be made to walk on them barefoot.",
];

export const INCITEMENT_COUNTER = [
  "Anti-nationals like these should be thrown in jail and left to rot.",
  "Every one of these traitors at the border should be dealt with the hard way.",
];

export const MANIPULATED_MEDIA: readonly (readonly [string, Stance, "image" | "video"])[] = [
  [
    "VIDEO: police opening fire on farmers at the Singhu border tonight. Share before it is deleted! #FarmersProtest",
    "pro",
    "video",
  ],
  ["This clip shows soldiers refusing orders to stop the farmers. #KisanAndolan", "pro", "video"],
  [
    "PHOTO: the national flag torn down and burnt at the Red Fort today. #RedFortViolence",
    "counter",
    "image",
  ],
  [
    "Leaked video: protesters admit they are paid ₹500 a day to sit at the border. #IndiaAgainstPropaganda",
    "counter",
    "video",
  ],
  ["Viral photo: a sea of tractors at India Gate this morning. #FarmersProtest", "pro", "image"],
  [
    "WATCH: farm leader caught on camera taking cash from foreign handlers. #IndiaTogether",
    "counter",
    "video",
  ],
  [
    "Bodies of farmers found near the Tikri camp, the media will not show you this. #FarmersProtest2021",
    "pro",
    "image",
  ],
  [
    "Photo proof that the toolkit was written inside a foreign embassy. #IndiaAgainstPropaganda",
    "counter",
    "image",
  ],
];

export const BOT_CHATTER = [
  "Good morning everyone 🙏",
  "Follow back 💯",
  "Retweet if you agree 👇",
  "Trend this now!",
  "Everyone use the hashtag 👇",
  "Drop a 🚜 if you support",
  "Who is online?",
];

export const EMOJI_PRO = ["🚜", "🌾", "✊", "🙏", "💪", "✊🏽", "🌾🚜", "❤️"];
export const EMOJI_COUNTER = ["🇮🇳", "🙏", "😡", "🤦", "🇮🇳🇮🇳"];

// ---------------------------------------------------------------------------------------------
// Campaign templates. A template is a list of segments: a fixed string, or a list of
// alternatives whose first entry is the default wording. Posts vary at most three segments.

export type Segment = string | readonly string[];

export const TOOLKIT_SEGMENTS: readonly Segment[] = [
  "Farmers have ",
  ["protested", "agitated", "demonstrated"],
  " ",
  ["peacefully", "non-violently"],
  " for over ",
  ["70", "seventy"],
  " days against three laws that hand their land and ",
  ["livelihoods", "livelihood", "future"],
  " to ",
  ["corporations", "big corporations"],
  ". ",
  ["The world is watching.", "The whole world is watching.", "The world is watching!"],
  " ",
  ["Raise your voice", "Speak up", "Raise your voices"],
  ", tag your ",
  ["MPs", "leaders"],
  " and ",
  ["stand with them", "stand with the farmers", "stand in solidarity"],
  [".", "!", "."],
];

export const TOOLKIT_HASHTAGS = ["FarmersProtest", "IStandWithFarmers", "NoFarmersNoFood"] as const;

export const GENOCIDE_SEGMENTS: readonly Segment[] = [
  "Internet cut. Water cut. Roads ",
  ["blocked", "sealed", "spiked"],
  " with nails and concrete. Farmers at the borders are being ",
  ["starved out", "starved", "crushed"],
  " while the world ",
  ["looks away", "stays silent", "watches"],
  ". ",
  ["Wake up", "Speak up", "Act now"],
  " before it is too late",
  [".", "!", "!!"],
];

export const GENOCIDE_CAMPAIGN_HASHTAGS = [
  "ModiPlanningFarmerGenocide",
  "FarmersProtest",
  "SaveFarmers",
] as const;
