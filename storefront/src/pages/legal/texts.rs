//! The wording of the legal pages. The company's particulars are not written here: the pages
//! print them from the server's configuration (`shop`).

/// A heading and its paragraphs.
pub type Section = (&'static str, &'static [&'static str]);

/// One legal page: its path, title, meta description and sections.
pub struct LegalText {
    pub path: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub sections: &'static [Section],
}

/// Obchodní podmínky.
pub const TERMS: LegalText = LegalText {
    path: "/obchodni-podminky",
    title: "Obchodní podmínky",
    description: "Obchodní podmínky internetového obchodu Lípa: objednávka, ceny, platba, doprava, odstoupení a reklamace.",
    sections: &[
        (
            "1. Úvodní ustanovení",
            &[
                "Tyto obchodní podmínky upravují práva a povinnosti prodávajícího (jeho údaje jsou uvedeny výše) a kupujícího při nákupu zboží v internetovém obchodě Lípa.",
                "Je-li kupujícím spotřebitel, řídí se vztahy neupravené těmito podmínkami zákonem č. 89/2012 Sb., občanský zákoník, a zákonem č. 634/1992 Sb., o ochraně spotřebitele. Odchylná ujednání v neprospěch spotřebitele neplatí.",
            ],
        ),
        (
            "2. Objednávka a uzavření smlouvy",
            &[
                "Zboží v obchodě je nabídkou prodávajícího s uvedením ceny. Kupující objednávku vytvoří v košíku a pokladně, kde před odesláním vidí celkovou cenu včetně dopravy a poplatků a může údaje změnit.",
                "Kupní smlouva vzniká odesláním objednávky tlačítkem „Objednat s povinností platby“. Přijetí objednávky potvrdíme e-mailem; smlouvu archivujeme a na požádání ji zašleme.",
            ],
        ),
        (
            "3. Ceny a platba",
            &[
                "Ceny jsou uvedeny v korunách českých včetně DPH. U každého zboží v akci uvádíme i nejnižší cenu za posledních 30 dní.",
                "Zaplatit lze bankovním převodem (s QR Platbou), kartou nebo bankovním tlačítkem online přes PayU, nebo dobírkou při převzetí (poplatek 39 Kč, při osobním odběru zdarma). Objednávku nezaplacenou převodem ve lhůtě splatnosti zrušíme.",
                "Daňový doklad vystavíme po zaplacení a pošleme odkazem e-mailem; najdete jej i u objednávky.",
            ],
        ),
        (
            "4. Doprava a dodání",
            &[
                "Zboží posíláme přes Zásilkovnu na výdejní místo (79 Kč), PPL domů (129 Kč), Českou poštou (119 Kč), nebo je lze zdarma vyzvednout na prodejně. Od nákupu za 1 500 Kč je doprava zdarma.",
                "Předpokládaný den doručení uvádíme u zboží, v košíku a u každého způsobu dopravy; počítáme s pracovními dny dopravce a státními svátky.",
                "Při převzetí zkontrolujte neporušenost obalu; poškození zásilky sepište s dopravcem.",
            ],
        ),
        (
            "5. Odstoupení od smlouvy",
            &[
                "Spotřebitel může od smlouvy odstoupit bez udání důvodu do 14 dnů od převzetí zboží (§ 1829 občanského zákoníku). Postup a formulář najdete na stránce Odstoupení od smlouvy.",
            ],
        ),
        (
            "6. Práva z vadného plnění",
            &[
                "Na spotřební zboží se vztahuje zákonná lhůta 24 měsíců od převzetí. Postup uplatnění vad popisuje Reklamační řád.",
            ],
        ),
        (
            "7. Mimosoudní řešení sporů",
            &[
                "Spory se spotřebiteli lze řešit mimosoudně u České obchodní inspekce (www.coi.cz), případně přes platformu pro řešení sporů online ec.europa.eu/consumers/odr. Dozor vykonává Česká obchodní inspekce, v oblasti osobních údajů Úřad pro ochranu osobních údajů.",
            ],
        ),
        (
            "8. Závěrečná ustanovení",
            &[
                "Smlouva se uzavírá v českém jazyce. Tyto podmínky platí ve znění zobrazeném v době odeslání objednávky.",
            ],
        ),
    ],
};

/// Reklamační řád.
pub const COMPLAINTS: LegalText = LegalText {
    path: "/reklamacni-rad",
    title: "Reklamační řád",
    description: "Jak reklamovat vadné zboží v obchodě Lípa: lhůty, postup a vyřízení do 30 dnů.",
    sections: &[
        (
            "Za co odpovídáme",
            &[
                "Odpovídáme za to, že zboží při převzetí nemá vady: má sjednané nebo obvyklé vlastnosti, hodí se k účelu, je v odpovídajícím množství a odpovídá právním předpisům.",
                "Vadu, která se projeví do 24 měsíců od převzetí, můžete uplatnit u nás. Projeví-li se během prvního roku, má se za to, že zboží bylo vadné již při převzetí.",
            ],
        ),
        (
            "Jak reklamovat",
            &[
                "Napište nám na e-mail uvedený výše číslo objednávky, popis vady a co požadujete (opravu, výměnu, slevu, nebo při podstatné vadě odstoupení). Zboží pošlete na adresu provozovny nebo je přineste osobně; poštovné za uznanou reklamaci vám uhradíme.",
                "Přijetí reklamace potvrdíme písemně s datem, obsahem a požadovaným způsobem vyřízení.",
            ],
        ),
        (
            "Vyřízení",
            &[
                "Reklamaci vyřídíme nejpozději do 30 dnů od jejího uplatnění, nedohodneme-li se na delší lhůtě. O vyřízení vás informujeme e-mailem a vydáme potvrzení.",
                "Za vadu neodpovídáme, vznikla-li opotřebením, nesprávným použitím nebo zásahem kupujícího, nebo u zboží prodávaného za nižší cenu pro vadu, pro kterou byla cena snížena.",
            ],
        ),
    ],
};

/// Odstoupení od smlouvy.
pub const WITHDRAWAL: LegalText = LegalText {
    path: "/odstoupeni-od-smlouvy",
    title: "Odstoupení od smlouvy",
    description: "Vrácení zboží do 14 dnů bez udání důvodu: postup, vrácení peněz a formulář pro odstoupení.",
    sections: &[
        (
            "Lhůta 14 dnů",
            &[
                "Jako spotřebitel můžete od kupní smlouvy odstoupit bez udání důvodu do 14 dnů od převzetí zboží (u více kusů dodaných zvlášť od převzetí posledního). Stačí, když nám v této lhůtě odstoupení odešlete.",
            ],
        ),
        (
            "Jak postupovat",
            &[
                "Pošlete nám odstoupení e-mailem nebo dopisem; můžete použít formulář níže. Zboží nám zašlete nebo přineste do 14 dnů od odstoupení na adresu uvedenou výše, nejlépe v původním obalu a se vším příslušenstvím. Náklady na vrácení zboží nesete vy.",
            ],
        ),
        (
            "Vrácení peněz",
            &[
                "Všechny přijaté peníze včetně nejlevnější nabízené dopravy vrátíme do 14 dnů od odstoupení, stejným způsobem, jakým jste platili, nedohodneme-li se jinak. Peníze můžeme zadržet, dokud zboží neobdržíme. Snížení hodnoty zboží nad rámec běžného vyzkoušení můžeme započíst.",
                "O vrácených penězích vystavíme opravný daňový doklad a pošleme jej odkazem e-mailem.",
            ],
        ),
        (
            "Kdy odstoupit nelze",
            &[
                "Mimo jiné u zboží podléhajícího rychlé zkáze, u potravin a hygienického zboží vyjmutého z obalu, u zboží upraveného podle vašeho přání a u zapečetěných nosičů, jejichž obal jste porušili (§ 1837 občanského zákoníku).",
            ],
        ),
    ],
};

/// Ochrana osobních údajů.
pub const PRIVACY: LegalText = LegalText {
    path: "/ochrana-osobnich-udaju",
    title: "Ochrana osobních údajů",
    description: "Jak obchod Lípa zpracovává osobní údaje zákazníků, komu je předává a jaká máte práva.",
    sections: &[
        (
            "Správce",
            &[
                "Správcem osobních údajů je prodávající, jehož údaje jsou uvedeny výše. Údaje zpracováváme podle nařízení (EU) 2016/679 (GDPR) a zákona č. 110/2019 Sb.",
            ],
        ),
        (
            "Jaké údaje a proč",
            &[
                "Jméno, adresu, e-mail, telefon a obsah objednávky zpracováváme, abychom mohli objednávku vyřídit a doručit (plnění smlouvy), daňové doklady uchováváme 10 let podle zákona o DPH a zákona o účetnictví (právní povinnost).",
                "Zákaznický účet vedeme, dokud jej nezrušíte. Hodnocení zboží zveřejňujeme s vaším křestním jménem. Upozornění hlídacího psa posíláme jen na potvrzenou adresu a každé obsahuje odkaz na odhlášení.",
            ],
        ),
        (
            "Komu údaje předáváme",
            &[
                "Dopravcům (Zásilkovna, PPL, Česká pošta) jméno, adresu, telefon a e-mail pro doručení; platební bráně PayU údaje potřebné k platbě; naší bance údaje o platbách. Do zemí mimo EU údaje nepředáváme.",
            ],
        ),
        (
            "Cookies",
            &[
                "Používáme jen nezbytné cookies: přihlášení a košík. Analytické ani reklamní cookies nepoužíváme, proto se nás neptá žádná lišta se souhlasem.",
            ],
        ),
        (
            "Vaše práva",
            &[
                "Máte právo na přístup k údajům, jejich opravu a výmaz, omezení zpracování, přenositelnost a právo vznést námitku. Napište nám na e-mail uvedený výše. Stížnost můžete podat u Úřadu pro ochranu osobních údajů (www.uoou.cz).",
            ],
        ),
    ],
};

/// Every legal page, in the footer's order.
pub const ALL: [&LegalText; 4] = [&TERMS, &COMPLAINTS, &WITHDRAWAL, &PRIVACY];
