// Organisations news mentions by name, and the words that mark a name as an organisation.

extension Gazetteer {
    static let organizations: [String] =
        [
            // US parties as news names them.
            "Democrats", "Republicans", "GOP", "Democratic Party", "Republican Party",
            "NATO", "OTAN", "EU", "UN", "UNESCO", "UNICEF", "UNHCR", "WHO", "WTO", "IMF", "OSCE", "OPEC", "OECD",
            "IAEA",
            "ICC", "ICJ", "ECB", "Fed", "FBI", "CIA", "NSA", "KGB", "FSB", "GRU", "SBU", "MI6", "MI5", "Pentagon",
            "Kremlin", "White House", "Downing Street", "Elysee", "Élysée", "Bundestag", "Bundeswehr", "Duma",
            "Verkhovna Rada", "Rada", "Knesset", "Congress", "Senate", "Parliament", "European Union",
            "European Commission", "European Parliament", "European Council", "Council of Europe", "United Nations",
            "Security Council", "General Assembly", "World Bank", "Red Cross", "Amnesty International",
            "Human Rights Watch", "Greenpeace", "Wagner", "Hamas", "Hezbollah", "Taliban", "Al Qaeda", "ISIS",
            "Politico", "Reuters", "AP", "Associated Press", "AFP", "Bloomberg", "BBC", "CNN", "Fox News", "NBC", "CBS",
            "ABC", "NPR", "Al Jazeera", "Euronews", "Deutsche Welle", "DW", "TASS", "RIA Novosti", "Interfax",
            "Ukrinform", "Kyiv Independent", "The Guardian", "Guardian", "The Times", "New York Times",
            "Washington Post",
            "Wall Street Journal", "Financial Times", "The Economist", "Economist", "Le Monde", "Der Spiegel",
            "Spiegel",
            "Axios", "Newsweek", "Forbes", "Google", "Alphabet", "Apple", "Microsoft", "Amazon", "Meta",
            "Facebook", "Twitter", "Tesla", "SpaceX", "OpenAI", "Nvidia", "Intel", "IBM", "Samsung", "Sony", "Toyota",
            "Volkswagen", "Siemens", "BP", "Gazprom", "Rosneft", "Boeing", "Airbus", "Lockheed Martin",
            "Raytheon", "Rheinmetall", "Netflix", "Uber", "Mastercard", "Goldman Sachs", "JPMorgan",
            "G7", "G20", "BRICS", "ASEAN", "African Union", "Arab League", "Warsaw Pact", "Commonwealth",
        ] + internationalOrganizations + centralBanks

    /// International bodies that are usually written by a bare name or acronym, with no head word.
    static let internationalOrganizations: [String] = [
        "Gavi", "Unitaid", "Global Fund", "World Health Organization", "World Trade Organization",
        "International Monetary Fund", "International Energy Agency", "IEA", "International Labour Organization",
        "ILO", "FAO", "UNDP", "UNEP", "UNFCCC", "WFP", "World Food Programme", "UNRWA", "IOM", "ICRC", "IFRC",
        "Red Crescent", "MSF", "Médecins Sans Frontières", "Oxfam", "Interpol", "Europol", "Frontex", "Eurostat",
        "Eurogroup", "CERN", "ESA", "NASA", "IPCC", "IOC", "FIFA", "UEFA", "World Athletics", "WADA", "BIS",
        "Bank for International Settlements", "Mercosur", "APEC", "EFTA", "ECOWAS", "GCC", "SCO", "CSTO", "OAS",
        "International Criminal Court", "International Court of Justice", "International Atomic Energy Agency",
        "Organization of American States", "Asian Development Bank", "African Development Bank", "EBRD", "EIB",
        "Inter-American Development Bank", "Paris Club", "Gates Foundation",
    ]

    /// Central banks known by a name without the word "Bank" in front of a country.
    static let centralBanks: [String] = [
        "Riksbank", "Bundesbank", "Norges Bank", "Federal Reserve", "Bank of England", "Bank of Japan",
        "Bank of Canada", "Bank of France", "Banque de France", "Banca d'Italia", "Swiss National Bank",
        "European Central Bank", "People's Bank of China", "Reserve Bank of India", "Reserve Bank of Australia",
        "Reserve Bank of New Zealand", "Danmarks Nationalbank", "Central Bank of Russia", "Bank of Russia",
    ]

    /// A final word that makes a capitalised name an organisation ("NATO-Russia Council", "Acme Inc").
    static let organizationSuffixes: Set<String> = [
        "Council", "Alliance", "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "Corp", "Corp.", "Corporation", "Company",
        "Co.", "GmbH", "AG", "SA", "PLC", "Ministry", "University", "College", "Agency", "Bank", "Party",
        "Committee", "Commission", "Organization", "Organisation", "Association", "Institute", "Foundation",
        "Group", "Union", "Parliament", "Assembly", "Senate", "Congress", "Court", "Department", "Office",
        "Service", "Services", "Army", "Navy", "Forces", "Force", "Guard", "Times", "Post", "News", "Press",
        "Journal", "Gazette", "Herald", "Tribune", "Network", "Media", "Holdings", "Industries", "Technologies",
        "Daily", "Weekly", "Programme", "Inspectorate", "FM", "Records", "Studios", "Pictures", "Airlines",
        "Airways",
        "Labs", "Systems", "Airlines", "Motors", "Fund", "Federation", "League", "Club", "Society", "School",
        "Hospital", "Police", "Bureau", "Authority", "Directorate", "Secretariat", "Cabinet", "Government",
        "Administration", "Board", "Church", "Museum", "Academy", "Centre", "Center", "Coalition", "Movement",
        "Front", "Brigade", "Battalion", "Regiment", "Command", "Review", "Research", "Economics", "Partners",
        "Capital", "Consulting", "Consultants", "Analytics", "Insurance", "Pharma", "Pharmaceuticals",
        "Therapeutics", "Biotech", "Airways", "Ledger", "Chronicle", "Observer", "Telegraph", "Wire", "Monitor",
        "Observatory", "Campaign", "Crescent", "Global", "Marines", "Partnership", "Television", "Community",
    ]

    /// Lowercase nouns that, written right before a name or heading an appositive after it, say the
    /// name is an organisation: "the biotech company Acme", "Acme, the vaccine alliance".
    static let organizationNouns: Set<String> = [
        "company", "firm", "consultancy", "bank", "lender", "insurer", "institute", "agency", "group", "alliance",
        "organisation", "organization", "association", "federation", "union", "charity", "foundation", "fund",
        "startup", "start-up", "manufacturer", "maker", "carmaker", "producer", "retailer", "carrier", "airline",
        "broadcaster", "newspaper", "publisher", "website", "regulator", "operator", "utility", "conglomerate",
        "subsidiary", "university", "hospital", "clinic", "laboratory", "lab", "ministry", "party", "club",
        "team", "network", "coalition", "think-tank", "watchdog", "authority", "council", "committee", "body",
        "outlet", "daily", "weekly", "magazine", "exchange", "supplier",
    ]

    /// Words that lead a national statistics or similar body named after its country ("Statistics
    /// Norway", "Statistics Canada").
    static let nationalBodyHeads: Set<String> = ["Statistics", "Radio", "Television"]

    /// A first word that makes a name an organisation ("Ministry of Defence", "University of Oxford").
    static let organizationPrefixes: Set<String> = [
        "Ministry", "University", "Bank", "Department", "Office", "Council", "Commission", "Committee",
        "Institute", "Federation", "Church", "Museum", "Academy", "Court", "Organisation", "Organization",
        "Association", "Agency", "Authority", "Board", "Fund", "Union", "League", "Party", "School", "College",
        "Hospital", "Society", "Foundation", "Friends", "Chamber", "House", "Center", "Centre", "Programme",
        "Program", "Inspectorate",
    ]

    /// Words that may be followed by "of" inside a place name ("Gulf of Mexico", "Isle of Man").
    static let placeOfHeads: Set<String> = [
        "Gulf", "Bay", "Isle", "Republic", "Kingdom", "Sea", "Strait", "Straits", "Cape", "City", "Province",
        "State", "States", "Principality", "Duchy", "Emirate", "Island", "Islands", "Lake", "Mount", "Port",
    ]

    /// A final word that makes a name a place ("Red Sea", "Lake Geneva" is covered by the prefix list).
    static let placeSuffixes: Set<String> = [
        "River", "Sea", "Ocean", "Island", "Islands", "Mountains", "Mountain", "Valley", "Bay", "Lake", "Strait",
        "Peninsula", "Desert", "Street", "Avenue", "Square", "Province", "Region", "Oblast", "County", "District",
        "City", "Republic", "Kingdom", "Coast", "Canal", "Airport", "Gate", "Bridge", "Park", "Harbour",
        "Harbor", "Basin", "Plateau", "Hills", "Highlands", "Delta", "Falls", "Isles", "Isle", "Head", "Road",
        "Lakes", "Territory",
        "Lane", "Dales", "Heath", "Moor", "Marsh", "Forest", "Quay", "Boulevard", "Fjord", "Estuary",
        "Governorate", "Prefecture", "Emirate", "Tower", "Ground", "Downs", "Heights", "Peak",
    ]

    /// Lowercase nouns for kinds of place: "the town of X", "the capital X", "the X region".
    static let placeNouns: Set<String> = [
        "town", "city", "village", "capital", "port", "region", "province", "state", "county", "district",
        "municipality", "oblast", "prefecture", "governorate", "suburb", "neighbourhood", "neighborhood",
        "island", "islands", "peninsula", "desert", "valley", "river", "mountains", "coast", "basin", "lake",
        "township", "enclave", "archipelago", "settlement", "hamlet",
    ]
    static let placePrefixes: Set<String> = [
        "Lake", "Mount", "Mt.", "Cape", "Fort", "Port", "Saint", "San", "Santa", "Gulf", "Bay", "Parque", "Plaza",
        "Calle", "Avenida", "Isla", "Lago", "Monte", "Puerto", "Río",
    ]
}
