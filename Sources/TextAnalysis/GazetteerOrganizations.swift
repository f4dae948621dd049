// Organisations news mentions by name, and the words that mark a name as an organisation.

extension Gazetteer {
    static let organizations: [String] = [
        "NATO", "OTAN", "EU", "UN", "UNESCO", "UNICEF", "UNHCR", "WHO", "WTO", "IMF", "OSCE", "OPEC", "OECD", "IAEA",
        "ICC", "ICJ", "ECB", "Fed", "FBI", "CIA", "NSA", "KGB", "FSB", "GRU", "SBU", "MI6", "MI5", "Pentagon",
        "Kremlin", "White House", "Downing Street", "Elysee", "Élysée", "Bundestag", "Bundeswehr", "Duma",
        "Verkhovna Rada", "Rada", "Knesset", "Congress", "Senate", "Parliament", "European Union",
        "European Commission", "European Parliament", "European Council", "Council of Europe", "United Nations",
        "Security Council", "General Assembly", "World Bank", "Red Cross", "Amnesty International",
        "Human Rights Watch", "Greenpeace", "Wagner", "Hamas", "Hezbollah", "Taliban", "Al Qaeda", "ISIS",
        "Politico", "Reuters", "AP", "Associated Press", "AFP", "Bloomberg", "BBC", "CNN", "Fox News", "NBC", "CBS",
        "ABC", "NPR", "Al Jazeera", "Euronews", "Deutsche Welle", "DW", "TASS", "RIA Novosti", "Interfax",
        "Ukrinform", "Kyiv Independent", "The Guardian", "Guardian", "The Times", "New York Times", "Washington Post",
        "Wall Street Journal", "Financial Times", "The Economist", "Economist", "Le Monde", "Der Spiegel", "Spiegel",
        "Axios", "Newsweek", "Forbes", "Google", "Alphabet", "Apple", "Microsoft", "Amazon", "Meta",
        "Facebook", "Twitter", "Tesla", "SpaceX", "OpenAI", "Nvidia", "Intel", "IBM", "Samsung", "Sony", "Toyota",
        "Volkswagen", "Siemens", "BP", "Gazprom", "Rosneft", "Boeing", "Airbus", "Lockheed Martin",
        "Raytheon", "Rheinmetall", "Netflix", "Uber", "Mastercard", "Goldman Sachs", "JPMorgan",
        "G7", "G20", "BRICS", "ASEAN", "African Union", "Arab League", "Warsaw Pact", "Commonwealth",
    ]

    /// A final word that makes a capitalised name an organisation ("NATO-Russia Council", "Acme Inc").
    static let organizationSuffixes: Set<String> = [
        "Council", "Alliance", "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "Corp", "Corp.", "Corporation", "Company",
        "Co.", "GmbH", "AG", "SA", "PLC", "Ministry", "University", "College", "Agency", "Bank", "Party",
        "Committee", "Commission", "Organization", "Organisation", "Association", "Institute", "Foundation",
        "Group", "Union", "Parliament", "Assembly", "Senate", "Congress", "Court", "Department", "Office",
        "Service", "Services", "Army", "Navy", "Forces", "Force", "Guard", "Times", "Post", "News", "Press",
        "Journal", "Gazette", "Herald", "Tribune", "Network", "Media", "Holdings", "Industries", "Technologies",
        "Labs", "Systems", "Airlines", "Motors", "Fund", "Federation", "League", "Club", "Society", "School",
        "Hospital", "Police", "Bureau", "Authority", "Directorate", "Secretariat", "Cabinet", "Government",
        "Administration", "Board", "Church", "Museum", "Academy", "Centre", "Center", "Coalition", "Movement",
        "Front", "Brigade", "Battalion", "Regiment", "Command",
    ]

    /// A first word that makes a name an organisation ("Ministry of Defence", "University of Oxford").
    static let organizationPrefixes: Set<String> = [
        "Ministry", "University", "Bank", "Department", "Office", "Council", "Commission", "Committee",
        "Institute", "Federation", "Church", "Museum", "Academy", "Court",
    ]

    /// A final word that makes a name a place ("Red Sea", "Lake Geneva" is covered by the prefix list).
    static let placeSuffixes: Set<String> = [
        "River", "Sea", "Ocean", "Island", "Islands", "Mountains", "Mountain", "Valley", "Bay", "Lake", "Strait",
        "Peninsula", "Desert", "Street", "Avenue", "Square", "Province", "Region", "Oblast", "County", "District",
        "City", "Republic", "Kingdom", "Coast", "Canal", "Airport",
    ]
    static let placePrefixes: Set<String> = ["Lake", "Mount", "Mt.", "Cape", "Fort", "Port", "Saint", "San", "Santa", "Gulf", "Bay"]
}
