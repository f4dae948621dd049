import Testing

@testable import TextAnalysis

/// Shapes of news copy the entity rules learned from the development news (docs/EVALUATION.md): each
/// sentence below is written for the test, in the shape an error was found in.
@Suite struct EntityNewsShapesTests {
    private func found(_ text: String) -> [String: EntityType] {
        Dictionary(
            EntityRecognizer.entities(in: text).map { ($0.text, $0.type) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func datelinesInCapitalsArePlaces() {
        let names = found("GENEVA, March 29. /TASS/. The talks resumed on Wednesday with both delegations present.")
        #expect(names["GENEVA"] == .place)
    }

    @Test func theLastTitleBeforeANameIsTheOneThatCounts() {
        let names = found(
            """
            The plan was criticised by Russian Deputy Foreign Minister Gennady Gatilov on Monday. The deal was \
            important, Almaz-Antey Deputy CEO for Foreign Economic Activity Vyacheslav Dzirkalin told reporters. \
            Arriving in the capital, former North Korean Deputy UN ambassador Ri Tong Il said nothing.
            """)
        #expect(names["Gennady Gatilov"] == .person)
        #expect(names["Vyacheslav Dzirkalin"] == .person)
        #expect(names["UN"] == .organization)
        for junk in ["Foreign Minister Gennady Gatilov", "Foreign", "CEO", "Deputy CEO", "North Korean Deputy UN"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    @Test func initialsAndAbbreviationsStayInsideNames() {
        let names = found(
            """
            He clerked for a judge appointed by George W. Bush before moving to a firm near St. Louis, Missouri. \
            Protesters waited outside an event with Sen. Dianne Feinstein on Friday.
            """)
        #expect(names["George W. Bush"] == .person)
        #expect(names["St. Louis"] == .place)
        #expect(names["Missouri"] == .place)
        #expect(names["Dianne Feinstein"] == .person)
        #expect(names["George W"] == nil && names["St"] == nil)
    }

    @Test func firmsWithAmpersandsAndBodiesWithFor() {
        let names = found(
            """
            She practised law at Kirkland & Ellis in Washington. The Centre for Coastal Resilience published \
            the figures, which the National Center for Environmental Information confirmed.
            """)
        #expect(names["Kirkland & Ellis"] == .organization)
        #expect(names["Centre for Coastal Resilience"] == .organization)
        #expect(names["National Center for Environmental Information"] == .organization)
    }

    @Test func shareBarsNameTheirPlatformsAndLinkLabelsNameNothing() {
        let names = found(
            """
            The court will rule in May. READ MORE: The hearing was adjourned. \
            Send Facebook Twitter Google+ Whatsapp Tumblr linkedin Digg reddit Newsvine Permalink
            """)
        #expect(names["Facebook"] == .organization)
        #expect(names["Google+"] == .organization)
        #expect(names["Newsvine"] == .organization)
        for junk in ["READ MORE", "Newsvine Permalink", "Send Facebook Twitter Google", "Permalink"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    @Test func appositivesWithNationalitiesAndCodesOfCapitals() {
        let names = found(
            """
            Siti Aisyah, an Indonesian, was detained. A third suspect, Ri Jong Chol, a North Korean citizen, is \
            in custody. The UN, said a spokesman, was not told. The TD-LTE standard was approved.
            """)
        #expect(names["Siti Aisyah"] == .person)
        #expect(names["Ri Jong Chol"] == .person)
        #expect(names["UN"] == .organization)
        #expect(names["TD-LTE"] == .other)
        #expect(names["North Korean"] == nil && names["TD"] == nil && names["LTE"] == nil)
    }

    @Test func prizeNamesWithAndAndCapitalisedCommonWords() {
        let names = found(
            """
            The team won the State Science and Technology Progress Award in January. Recorded Crime fell in the \
            capital, and recorded crime in the regions fell too. France and Germany signed the Founding Act.
            """)
        #expect(names["State Science and Technology Progress Award"] == .other)
        #expect(names["Founding Act"] == .other)
        #expect(names["France"] == .place && names["Germany"] == .place)
        #expect(names["Recorded Crime"] == nil && names["State Science"] == nil)
    }

    @Test func partiesAndTheSpellingTheTextUses() {
        let names = found(
            """
            The bill faced opposition mostly from Democrats, and Republican leaders were divided. Troops left \
            Kiev for the Donbass region on Tuesday.
            """)
        #expect(names["Democrats"] == .organization)
        #expect(names["Republican"] == nil)
        #expect(names["Kiev"] == .place)
        #expect(names["Kyiv"] == nil && names["Donbas"] == nil)
    }

    /// From the second held-out news set's errors (read after its measurement, so it is development news now).
    @Test func longerTitlesArticlesOfArabicNamesAndHeadsOfThings() {
        let names = found(
            """
            The briefing was led by White House Press Secretary Sean Spicer on Monday. Secretary of State Rex             Tillerson flew to Seoul. Ashraf al-Qedra, a spokesman, said two men died. Fighters of Jabhat al-Nusra             held the town. The rules follow the European Convention on Human Rights, written after World War Two.             Separately, the council met. Both the House and Senate voted. She signed with Def Jam Records, and the             rocket rose from the Sohae Satellite Launching Ground. He dined with Sheldon Adelson at the resort.
            """)
        #expect(names["White House"] == .organization)
        #expect(names["Sean Spicer"] == .person)
        #expect(names["Rex Tillerson"] == .person)
        #expect(names["Ashraf al-Qedra"] == .person)
        #expect(names["Jabhat al-Nusra"] == .organization)
        #expect(names["European Convention on Human Rights"] == .other)
        #expect(names["World War Two"] == .other)
        #expect(names["Def Jam Records"] == .organization)
        #expect(names["Sohae Satellite Launching Ground"] == .place)
        #expect(names["Sheldon Adelson"] == .person)
        for junk in ["White House Press", "State Rex Tillerson", "Separately", "House and Senate", "World War"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }
}

/// Shapes from the third and fourth held-out news sets' errors (read after each was measured once; see
/// docs/EVALUATION.md), each sentence written for the test.
@Suite struct EntityHeldOutShapesTests {
    private func found(_ text: String) -> [String: EntityType] {
        Dictionary(
            EntityRecognizer.entities(in: text).map { ($0.text, $0.type) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func peoplesFaithsAndCompassDemonymsNameNothing() {
        let names = found(
            """
            The port then barred North Koreans from leaving. Violence has risen in the South Asian country. \
            A Jewish neighbourhood group and Iraqi Shiite pilgrims were named. The match was in the central English \
            county of Staffordshire, and European leaders watched.
            """)
        for junk in ["North Koreans", "South Asian", "Jewish", "Iraqi Shiite", "English", "European"] {
            #expect(names[junk] == nil, "\(junk)")
        }
        #expect(names["Staffordshire"] == .place)
    }

    @Test func compassPlacesPartiesAndMoreHeads() {
        let names = found(
            """
            Refugees across East Africa and the Great Lakes waited. The Social Democrats withdrew the decree. \
            Observers from the Syrian Observatory for Human Rights and the Trump Campaign spoke. The deal with HMD \
            Global was signed near Krasnodar Territory.
            """)
        #expect(names["East Africa"] == .place)
        #expect(names["Great Lakes"] == .place)
        #expect(names["Social Democrats"] == .organization)
        #expect(names["Syrian Observatory for Human Rights"] == .organization)
        #expect(names["Trump Campaign"] == .organization)
        #expect(names["HMD Global"] == .organization)
        #expect(names["Krasnodar Territory"] == .place)
        #expect(names["Human Rights"] == nil)
    }

    @Test func titlesTimeZonesAndControlLabelsAreNoEntities() {
        let names = found(
            """
            As Chairman and Ranking Member of the subcommittee, they wrote. The suspect was questioned, Police \
            Superintendent Kartik Kasyap told reporters. Dutch PM Mark Rutte won. The photo was posted at 8:17pm PDT \
            on Friday. View Comments
            """)
        #expect(names["Kartik Kasyap"] == .person)
        #expect(names["Mark Rutte"] == .person)
        for junk in ["Ranking Member", "Superintendent", "PDT", "View Comments", "Dutch PM Mark Rutte"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    @Test func lostBreaksPossessivesInsideNamesAndNumberedWars() {
        let names = found(
            """
            Former director Brigid Quilligan-said the community was overjoyed. The boy was treated at Crumlin \
            Children's Hospital. Shelling was reported by the Donetsk People's Republic. The ship is as large as \
            the World War II-era carriers, the Belarusian BelTA news agency reported.
            """)
        #expect(names["Brigid Quilligan"] == .person)
        #expect(names["Crumlin Children's Hospital"] == .organization)
        #expect(names["Donetsk People's Republic"] == .place)
        for junk in ["Crumlin Children", "Republic", "II", "World War", "Belarusian BelTA"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    @Test func televisionsCommunitiesAndLonePlaceHeads() {
        let names = found(
            """
            The gala was shown on China Central Television in the evening. The treaty founded the European Coal and \
            Steel Community in 1951. Schools were closed, the Prefecture said on Friday.
            """)
        #expect(names["China Central Television"] == .organization)
        #expect(names["European Coal and Steel Community"] == .organization)
        for junk in ["Prefecture", "European Coal", "Steel Community"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    @Test func theObjectOfAKillingOrAnArrestIsAPerson() {
        let names = found("The attack killed Srinivas Kuchibhotla and wounded Alok Madasani, police said.")
        #expect(names["Srinivas Kuchibhotla"] == .person)
        #expect(names["Alok Madasani"] == .person)
    }

    /// A run of capitalised words that nothing types is not reported (the heaviest error class on the held-out
    /// news of 2026-12-05); the same kind of name with a clue for its type stays, and a thing's head word may
    /// come before "on".
    @Test func aNameNothingTypesIsNotReported() {
        let names = found(
            """
            Remember Brexit, the slogan went. Officials in the State Duma spoke. Lawmakers cited the Treaty on \
            Open Skies. Then Qoril Vantage closed the plant, and Radio Ormsk reported it.
            """)
        for unknown in ["Remember Brexit", "Qoril Vantage", "Radio Ormsk"] {
            #expect(names[unknown] == nil, "\(unknown)")
        }
        #expect(names["State Duma"] == nil)
        #expect(names["Treaty on Open Skies"] == .other)
    }

    /// From the seventh held-out set's errors (read after its one measurement): a party named by its members'
    /// plural alone, a month that is a surname, words cut by a lost character, a politician's description.
    @Test func partiesMonthSurnamesLostCharactersAndDescriptions() {
        let names = found(
            """
            Britain's ruling Conservatives were fined, a blow for Prime Minister Theresa May. Her son Se\u{FFFD}\u{FFFD}n \
            Haughey tweeted it. Richard Burr, a North Carolina Republican, said the panel would meet in May 2017.
            """)
        #expect(names["Conservatives"] == .organization)
        #expect(names["Theresa May"] == .person)
        #expect(names["North Carolina"] == .place)
        #expect(names["Richard Burr"] == .person)
        for junk in ["Theresa", "Se", "North Carolina Republican", "May"] {
            #expect(names[junk] == nil, "\(junk)")
        }
    }

    /// From the eighth held-out set's errors (read after its one measurement): a faint clue alone — an unknown
    /// acronym, "at|from X" — is not enough to report a name; an acronym the text spells out, or one that
    /// speaks, is.
    @Test func aFaintClueAloneIsNotEnough() {
        let faint = found("The PSA was aired on Monday. Staff at Recode were told. He came from Neuralink last year.")
        #expect(faint.isEmpty, "\(faint)")
        let firmer = found(
            "Officials of the Nordic Ferry Board (NFB) met on Monday. The NFB said fares would rise. QXV said it would appeal."
        )
        #expect(firmer["Nordic Ferry Board"] == .organization)
        #expect(firmer["NFB"] == .organization)
        #expect(firmer["QXV"] == .organization)
    }
}
