"""`archive ref --json` on archive references as published footnotes print them.

Every string below is copied from a published footnote, caption or source line (the comment above
each group names where), and the expected parts were read off the footnote by hand: the archive
(its authority id, or the name as printed when the authority does not know it; "" when the
footnote names none), then fond, opis, delo, papka, listy and a foreign call number, each as
printed. Sources:
- FACTS: /work/shared/corpus/facts.yaml (`archive_ref_as_cited` and the notes quoting other
  printings), the fact sheet of the bundled collection;
- COSTA: Anna Costa, "Who wanted to go to war over Korea in 1950?", E-International Relations
  (2011), footnotes as quoted in /work/shared/background/001_ae49fddb57f6824e.txt;
- the web pages named in the comments (stored copies of published books' endnotes, found with
  the search tool).
"""

from __future__ import annotations

import json

import pytest

from archive.cli import main

FIELDS = ("archive", "fond", "opis", "delo", "papka", "listy", "call_number")


def R(archive, fond=None, opis=None, delo=None, papka=None, listy=None, call=None):  # noqa: N802
    return dict(zip(FIELDS, (archive, fond, opis, delo, papka, listy, call), strict=True))


def aprf(fond, opis, delo, listy=None):
    return R("APRF", fond, opis, delo, listy=listy)


def rgaspi(fond, opis, delo, listy=None):
    return R("RGASPI", fond, opis, delo, listy=listy)


FOOTNOTES = [
    # FACTS: the fact sheet's references as cited.
    ("Archive of the Foreign Policy of the Russian Federation, Fond 059a, Opis 5a, Delo 3, "
     "Papka 11, listy 10-20.", [R("AVP RF", "059a", "5a", "3", "11", "10-20")]),
    ("AP RF. F. 4. Op. 1. D. 331. pp. 59-61.", [aprf("4", "1", "331", "59-61")]),
    ("AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 75-77",
     [R("AVP RF", "059a", "5a", "3", "11", "75-77")]),
    ("Archive of the President of the Russian Federation, APRF, fond.45, opis.1, delo. 334, "
     "listy. 8-9.", [aprf("45", "1", "334", "8-9")]),
    ("AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 87-91",
     [R("AVP RF", "059a", "5a", "3", "11", "87-91")]),
    ("АПРФ. Ф. 45. Оп. 1 Д. 346 Л. 8.", [aprf("45", "1", "346", "8")]),
    ("АПРФ. Ф. 45. Оп. 1 Д. 346.", [aprf("45", "1", "346")]),
    ("APRF, Listy 146-147, Fond and Opis not given; and AVPRF, Fond 059a, Opis 5a, Delo 3, "
     "Papka 11, Listy 96-97.",
     [R("APRF", listy="146-147"), R("AVP RF", "059a", "5a", "3", "11", "96-97")]),
    ("AVPRF, f. 059a, op. 5a, p. 11, d. 3, 100-3.", [R("AVP RF", "059a", "5a", "3", "11", "100-3")]),
    ("A copy was subsequently found in RGASPI, f. 558, op. 11, d. 334, ll.0055.",
     [rgaspi("558", "11", "334", "0055")]),
    ("APRF, f. 45, op. 1, d. 346, l. 104; AVP RF, f. 059a, op. 5a, d. 3, p. 11, l. 107; and "
     "RGASPI, f. 558, op. 11, d. 346, ll. 0104.",
     [aprf("45", "1", "346", "104"), R("AVP RF", "059a", "5a", "3", "11", "107"),
      rgaspi("558", "11", "346", "0104")]),
    ("[Source: APRF, fond 45, opis 1, delo 331, list 79]", [aprf("45", "1", "331", "79")]),
    ("APRF, f. 45, op. 1, d. 140, l. 140, and RGASPI, f. 558, op. 11, d. 346, ll. 0140-0142.",
     [aprf("45", "1", "140", "140"), rgaspi("558", "11", "346", "0140-0142")]),
    ("APRF, Fond 45, Opis 1, Delo 347, Listy 12-13 and AVPRF, Fond 059a, Opis 5a, Delo 4, "
     "Papka 11, Listy 159-160",
     [aprf("45", "1", "347", "12-13"), R("AVP RF", "059a", "5a", "4", "11", "159-160")]),
    ("APRF, fond 45, opis 1, delo 347, listy 41-45", [aprf("45", "1", "347", "41-45")]),
    ("APRF, fond 3, opis 65, delo 828, listy 5-8.", [aprf("3", "65", "828", "5-8")]),
    ("APRF, fond 45, opis 1, delo 334, listy 97-98).", [aprf("45", "1", "334", "97-98")]),
    ("APRF, fond 45, opis 1, delo 334, listy 105-106", [aprf("45", "1", "334", "105-106")]),
    # FACTS note: the same letter as printed in "Brothers in Arms", n. 41 and n. 42.
    ("APRF, f. 45, op. 1, d. 334, pp. 105-6", [aprf("45", "1", "334", "105-6")]),
    ("APRF, f. 45, op. 1, d. 347, pp. 74-5.", [aprf("45", "1", "347", "74-5")]),
    ("TsAMO RF, fond 5, opis 918795, delo 121, list 720.",
     [R("TsAMO RF", "5", "918795", "121", listy="720")]),
    ("AP RF, f. 45, op. 1, d. 334, l. 141; and RGASPI, f. 558, op. 11, d. 334, ll. 0141. "
     "Translated by Gary Goldberg.",
     [aprf("45", "1", "334", "141"), rgaspi("558", "11", "334", "0141")]),
    ("APRF, fond 45, opis 1, delo 335, listy 1-2", [aprf("45", "1", "335", "1-2")]),
    ("APRF, fond 45, opis 1, delo 335, list 3.", [aprf("45", "1", "335", "3")]),
    ("[Source: APRF, fond 45, opis 1, delo 335, list 3]", [aprf("45", "1", "335", "3")]),
    # COSTA, footnotes 7, 15, 21, 22, 24 and 26 (book citations and page numbers before the
    # archive are prose).
    ("Politburo directive to Soviet Ambassador, translated by Weathersby K., 'Korea, 1949-1950: "
     "To Attack or not to Attack? STALIN, Kim Il Sung and the Prelude to War' *CWIHP*, Issue 5 "
     "(spring 1995), p.7; AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, listy 75-77",
     [R("AVP RF", "059a", "5a", "3", "11", "75-77")]),
    ("document translated by Weathersby (spring1995), p.8. AVP RF, Fond 059a, Opis 5a, Delo 3, "
     "Papka 11, listy 87-91", [R("AVP RF", "059a", "5a", "3", "11", "87-91")]),
    ("telegram from Kim Il Sung to Stalin, 29 September 1950, reported by Mansourov 'Stalin, "
     "Mao, Kim and China's Decision to enter the Korean War, September 16-October 15, 1950' "
     "*CWIHP* (winter 1995), p.111-2. APRF, fond 45, opis 1, delo 347, listy 41-45",
     [aprf("45", "1", "347", "41-45")]),
    ("telegram from Stalin to Mao Zedong and Zhou Enlai, 1 October 1950, Mansourov, p. 114. "
     "APRF, fond 45, opis 1, delo 334, listy 97-98).", [aprf("45", "1", "334", "97-98")]),
    ("Mao to Stalin, 3 October 1950, Mansourov, p. 114-5. APRF, fond 45, opis 1, delo 334, "
     "listy 105-106", [aprf("45", "1", "334", "105-106")]),
    ("Mao to Stalin (via Rushchin ), 14 October 1950, Mansourov, p. 118. 114-5 APRF, fond 45, "
     "opis 1, delo 335, listy 1-2", [aprf("45", "1", "335", "1-2")]),
    # Zotero's Wilson Center Digital Archive translator, test cases copying the archive line of
    # digitalarchive.wilsoncenter.org/document/280697 and /134696 (zotero/translators,
    # "Wilson Center Digital Archive.js").
    ("RGANI, f. 5, op. 49, d. 131, ll. 193-194. Translated by Gary Goldberg.",
     [R("RGANI", "5", "49", "131", listy="193-194")]),
    ("RGASPI, f. 558, op. 11, d. 97, ll. 67-70. Contributed by Sergey Radchenko and translated "
     "by Gary Goldberg.", [rgaspi("558", "11", "97", "67-70")]),
    # O. Khlevniuk, Stalin: New Biography of a Dictator (2015), endnotes; rulit.me/books/
    # stalin-read-552537-117.html, -118.html and -130.html.
    ("Protocols of Politburo meetings; RGASPI, f. 17, op. 3, dd. 1–125.",
     [rgaspi("17", "3", "1–125")]),
    ("Letter from Stalin to Lenin and Trotsky, 22 June 1918; RGASPI, f. 558, op. 1, d. 5403, "
     "l. 1; Kvashonkin et al., Bol’shevistskoe rukovodstvo, p. 40.",
     [rgaspi("558", "1", "5403", "1")]),
    ("Letter from Stalin to Lenin, 7 July 1918; RGASPI, f. 558, op. 1, d. 248, l. 1; I. V. "
     "Stalin, Works, vol. 4 (Moscow, 1954), pp. 120–121.", [rgaspi("558", "1", "248", "1")]),
    ("Telegram from Stalin to Trotsky and Lenin, 11 July 1918; RGASPI, f. 558, op. 1, d. 1812, "
     "ll. 1–2; Kvashonkin et al., Bol’shevistskoe rukovodstvo, p. 42.",
     [rgaspi("558", "1", "1812", "1–2")]),
    ("Letter from Stalin to Lenin, 3 October 1918; RGASPI, f. 558, op. 1, d. 5410, l. 1; "
     "Kvashonkin et al., Bol’shevistskoe rukovodstvo, p. 52.", [rgaspi("558", "1", "5410", "1")]),
    ("RGASPI, f. 558, op. 1, d. 5718, ll. 177, 178, 191, 195, 197.",
     [rgaspi("558", "1", "5718", "177, 178, 191, 195, 197")]),
    ("Ibid., ll. 196–198.", [R("", listy="196–198")]),
    ("Letter from Stalin to Lenin, 31 August 1918; RGASPI, f. 558, op. 1, d. 5408, l. 4; "
     "Kvashonkin et al., Bol’shevistskoe rukovodstvo, p. 46.", [rgaspi("558", "1", "5408", "4")]),
    ("RGASPI, f. 558, op. 1, d. 1815, ll. 2–4; Kvashonkin et al., Bol’shevistskoe rukovodstvo, "
     "pp. 142–143.", [rgaspi("558", "1", "1815", "2–4")]),
    ("RGASPI, f. 558. op. 1, d. 5521, l. 2. Kvashonkin et al., Bol’shevistskoe rukovodstvo, "
     "p. 148.", [rgaspi("558", "1", "5521", "2")]),
    ("RGASPI, f. 558, op. 1, d. 4137, l. 1; d. 1943, l. 1; Kvashonkin et al., Bol’shevistskoe "
     "rukovodstvo, p. 155.", [rgaspi("558", "1", "4137", "1"), rgaspi("558", "1", "1943", "1")]),
    ("RGASPI, f. 558, op. 1, d. 1961, ll. 1–2; Stalin, Works, vol. 4, p. 358.",
     [rgaspi("558", "1", "1961", "1–2")]),
    ("RGASPI, f. 558, op. 1, d. 4681, l. 1.", [rgaspi("558", "1", "4681", "1")]),
    ("RGASPI, f. 558, op. 1, d. 4458, ll. 1–3; Stalin, Works, vol. 4, pp. 360–362.",
     [rgaspi("558", "1", "4458", "1–3")]),
    ("RGASPI, f. 558, op. 11, d. 126, l. 68.", [rgaspi("558", "11", "126", "68")]),
    ("RGASPI, f. 558, op. 11, d. 777, ll. 27–28.", [rgaspi("558", "11", "777", "27–28")]),
    ("RGASPI, f. 558, op. 11, d. 882, ll. 57–58.", [rgaspi("558", "11", "882", "57–58")]),
    ("Letter dated 1 November 1952; RGASPI, f. 558, op. 11, d. 903, ll. 42–46.",
     [rgaspi("558", "11", "903", "42–46")]),
    ("This undated letter was sent from Stalin’s secretariat for Malenkov to deal with on "
     "4 November 1952; RGASPI, f. 558, op. 11, d. 901, ll. 39–40.",
     [rgaspi("558", "11", "901", "39–40")]),
    ("RGAE, f. 4372, op. 11, d. 459, ll. 164–170.", [R("RGAE", "4372", "11", "459", listy="164–170")]),
    ("Kokurin and Petrov, GULAG. 1917–1960, pp. 788–791; RGAE, f. 4372, op. 11, d. 677, l. 9.",
     [R("RGAE", "4372", "11", "677", listy="9")]),
    ("The inventories did not specify the agency originating the coded telegrams. RGASPI, "
     "f. 558, op. 11, d. 117, ll. 1–173.", [rgaspi("558", "11", "117", "1–173")]),
    # S. Sebag Montefiore, endnotes with dotted short forms (fond.opis.delo.listy);
    # theallfreenovel.com/63126/86/stalin.
    ("RGASPI 558.11.1549.40, Nadya to Keke Djugashvili 12 March 1932.",
     [rgaspi("558", "11", "1549", "40")]),
    ("Nadya the snitch: RGASPI 85.28.63.13, Nadya Alliluyeva to Ordzhonikidze complaining of "
     "neglect of Stalin’s call for correct training of technicians at Academy, 2 Apr. 1931.",
     [rgaspi("85", "28", "63", "13")]),
    ("RGASPI 558.11.754.121, Stalin to Kosior 26 Apr. 1932.", [rgaspi("558", "11", "754", "121")]),
    ("Local bosses try to recall: Beria, intrigue with Redens: RGASPI 558.11.801.42, Redens to "
     "Stalin 14 Nov. 1930.", [rgaspi("558", "11", "801", "42")]),
    ("RGASPI 79.1.777.1, Kaganovich to Kuibyshev 2 July 1932.", [rgaspi("79", "1", "777", "1")]),
    ("RGASPI 74.2.37.54–9, Voroshilov to Stalin 26 July 1932. Also RGASPI 54.1.100.101–2, "
     "Stalin to Kaganovich.", [rgaspi("74", "2", "37", "54–9"), rgaspi("54", "1", "100", "101–2")]),
    ("OGPU reports to Stalin on holiday: RGASPI 558.11.79.101 and 129.",
     [rgaspi("558", "11", "79", "101 and 129")]),
    ("On 7th August Law: RGASPI 558.11.78.85, Kaganovich, Molotov to Stalin 24 July 1932.",
     [rgaspi("558", "11", "78", "85")]),
    ("Ordzhonikidze also on holiday: RGASPI 558.11.78.39, Stalin to Kaganovich and Molotov "
     "14 July 1932.", [rgaspi("558", "11", "78", "39")]),
    ("The Korneiev Case: RGASPI 558.11.79.10, Kaganovich to Stalin 15 Aug. 1932. "
     "RGASPI 558.11.79.8–9. Voroshilov to Stalin 15 Aug. 1932.",
     [rgaspi("558", "11", "79", "10"), rgaspi("558", "11", "79", "8–9")]),
    # S. Sebag Montefiore, Stalin: The Court of the Red Tsar, source notes;
    # booksonline.com.ua/view.php?book=104084&page=164 and &page=186.
    ("Stalin’s album, RGASPI 558.11.1668.", [rgaspi("558", "11", "1668")]),
    ("Gagra house: RGASPI 558.11.728.40–2, Stalin to Yenukidze 13 Sept. 1933.",
     [rgaspi("558", "11", "728", "40–2")]),
    ("RGASPI 558.11.746, Kirov to Stalin 15 July 1933.", [rgaspi("558", "11", "746")]),
    ("RGASPI 558.1.5374, Stalin to K. Stanislavsky 9 Nov. 1931.", [rgaspi("558", "1", "5374")]),
    ("RGASPI 558.11.702.6–12 and 41a and 69, expulsion from Kremlin, 4 Sept. 1932.",
     [rgaspi("558", "11", "702", "6–12 and 41a and 69")]),
    ("RGASPI 558.11.702.35, Molotov to Bedny cc Stalin 12 Dec. 1930.",
     [rgaspi("558", "11", "702", "35")]),
    ("“Copper Cauldron”: RGASPI 558.11.754.1–21, V. Kirshon to Stalin and Stalin to Mekhlis "
     "20 Oct. 1932.", [rgaspi("558", "11", "754", "1–21")]),
    ("Reliable writers listed for Stalin: RGASPI 558.11.815, Y. Yakovlev to Stalin 3 July 1933.",
     [rgaspi("558", "11", "815")]),
    ("“Yeah! Yeah!”: RGASPI 74.2.37, Stalin to Voroshilov, 15 Mar. 1931.",
     [rgaspi("74", "2", "37")]),
    ("RGASPI 558.11.804.12, 26 Oct. 1931.", [rgaspi("558", "11", "804", "12")]),
    ("RGASPI 558.11.710.24, Bukharin to Stalin and Stalin to Kaganovich on Ehrenburg "
     "9 Aug. 1935.", [rgaspi("558", "11", "710", "24")]),
    ("Tsanava’s testimony and biography: GARF 7523.85.236.4–5 and 17–23, L. F. Tsanava’s appeal "
     "to President Voroshilov 5 July 1953 and interrogations.",
     [R("GARF", "7523", "85", "236", listy="4–5 and 17–23")]),
    ("RGASPI 558.11.732.130, Poskrebyshev sends report of French Politburo brought by Djilas to "
     "Moscow to Stalin and Stalin’s note, 27 Feb. 1948.", [rgaspi("558", "11", "732", "130")]),
    # S. Kotkin, Stalin, vol. 2, endnotes (the archive inside a book citation, with a date or a
    # description after the sheets); hello.chitka.online/b/stalin-7/p/698, /p/705, /p/849, /p/851.
    ("RGASPI, f. 17, op. 3, d. 955, l. 42 (Dec. 19, 1934).", [rgaspi("17", "3", "955", "42")]),
    ("Khaustov and Samuelson, Stalin, NKVD, 84–5 (TsA FSB, f. 3, op. 2, d. 8, l. 3).",
     [R("TsA FSB", "3", "2", "8", listy="3")]),
    ("Khaustov et al., Lubianka: Stalin i VChK, 602–3 (APRF, f. 3, op. 58, d. 231, l. 22–6).",
     [aprf("3", "58", "231", "22–6")]),
    ("Khaustov et al., Lubianka: Stalin i VChK, 610–2 (APRF, f. 3, op. 58, d. 231, l. 54–9: "
     "Feb. 10, 1935). See also Khlevniuk, Khoziain, 253.", [aprf("3", "58", "231", "54–9")]),
    ("Khaustov et al., Lubianka: Stalin i VChK, 617 (APRF, f. 3, op. 58, d. 231, l. 88).",
     [aprf("3", "58", "231", "88")]),
    ("RGASPI, f. 17, op. 3, d. 961, l. 58 (March 31, 1935).", [rgaspi("17", "3", "961", "58")]),
    ("Khaustov, “Deiatel’nost’ organov,” 237 (APRF, f. 45, op. 1, d. 180, l. 30).",
     [aprf("45", "1", "180", "30")]),
    ("Dullin, Men of Influence, 216 (citing AVP RF, f. 11, op. 4, pap. 32, d. 179: April 4 and "
     "19, 1939).", [R("AVP RF", "11", "4", "179", "32")]),
    ("For the grim documentary trail of Litvinov’s memorandums to Stalin, see DVP SSSR, XXII/i: "
     "208–9 (AVP RF, f. 06, op. 1, pap. 2, d. 11, l. 159: March 20, 1939)",
     [R("AVP RF", "06", "1", "11", "2", "159")]),
    ("(l.154–8: March 20)", [R("", listy="154–8")]),
    # Y. Slezkine, The House of Government, endnotes 12 and 13 to ch. 24 (several archives, opisi
    # under one fond, versos, archives the authority does not know); bookreadfree.com/480890/
    # 11815173.
    ("GARF, f. 3316, op. 43, d. 911, ll. 19–57; op. 28, d. 621, ll. 8–12, 14–14ob., 19; GARF, "
     "f. 9542, op. 1a, d. 15, l. 107; RGALI, f. 645, op. 1, d. 299, ll. 1–2, 40–46; RGALI, "
     "f. 2310, op. 1, d. 79. ll. 1–32 (quotations from ll. 31–32); RGALI, f. 2310, op. 1, d. 76 "
     "ll. 54–54ob. (quotation about Ostrovsky etc.); RGALI, f. 2310, op. 1, d. 41, ll. 13ob.–14; "
     "AGTsTM, f. 454, d. 7, d. 16.",
     [R("GARF", "3316", "43", "911", listy="19–57"),
      R("GARF", "3316", "28", "621", listy="8–12, 14–14ob., 19"),
      R("GARF", "9542", "1a", "15", listy="107"),
      R("RGALI", "645", "1", "299", listy="1–2, 40–46"),
      R("RGALI", "2310", "1", "79", listy="1–32"),
      R("RGALI", "2310", "1", "76", listy="54–54ob."),
      R("RGALI", "2310", "1", "41", listy="13ob.–14"),
      R("AGTsTM", "454", delo="7"), R("AGTsTM", "454", delo="16")]),
    ("AGTsTM, f. 454, d. 1004, l. 2 (on Levidov); RGALI, f. 656, op. 1, d. 954, l. 1, 3, 24 "
     "(censor on UA); RGALI, f. 2310, op. 1, d. 41, ll. 13a ob.; AGTsTM, f. 454, d. 460, "
     "ll. 12–19; B. G. Golubovskii, Bol’shie malen’kie teatry (Moscow: Izdatel’stvo imeni "
     "Sabashnikovykh, 1998), 104–6, 107–8.",
     [R("AGTsTM", "454", delo="1004", listy="2"), R("RGALI", "656", "1", "954", listy="1, 3, 24"),
      R("RGALI", "2310", "1", "41", listy="13a ob."), R("AGTsTM", "454", delo="460", listy="12–19")]),
    # R. Service, Stalin: A Biography, endnote 6 to ch. 25 ("p." after the delo is the sheet);
    # usr.bibliboba.online/books/stalin-a-biography-1/p/364.
    ("To chair the Politburo, the Orgburo or the Secretariat was not the same as to be its "
     "chairman; and when in 1928 the minutes recorded Kaganovich as Orgburo Chairman, there was "
     "a furious protest and Molotov had to agree to amend them: RGASPI, f. 81, op. 3, d. 255, "
     "p. 98. See below, p. 363 for the possibility that Stalin learned from the precedent of the "
     "Roman Emperor Augustus.", [rgaspi("81", "3", "255", "98")]),
    # M. Lewin, The Soviet Century, notes; fb2.top/the-soviet-century-465944/read/part-notes.
    ("RGASPI, f. 17, op. 84, d. 304, no page number, dated 26 June 1922.",
     [rgaspi("17", "84", "304")]),
    # G. Roberts, Stalin's Library, notes 88, 89 and 92 to ch. 7 (capital labels without spaces;
    # "Ibid." with no archive); user.bibliboba.online/books/stalin-s-library-a-dictator-and-his-
    # books/p/142.
    ("RGASPI, F.558, Op.1, D.5754, L.126. Cited by M. Lavrent’eva, Osobennosti Tekhnologii i "
     "Metodov Informatsionno-Psikhologicheskikh Voin SSSR s Velikobritaniei i SShA v Period, "
     "1939–1953 gg, Candidate’s Dissertation, Rossiiskii Universitet Druzhby Narodov, Moscow "
     "2020 p.127.", [rgaspi("558", "1", "5754", "126")]),
    ("Ibid., Op.11, D.1605.", [R("", opis="11", delo="1605")]),
    ("RGASPI, F.558, Op.3, D.28. The cited text marked by Stalin may be found on pp.43–7 of the "
     "book.", [rgaspi("558", "3", "28")]),
    # A. Lankov (Russian edition), note 133: the full former name of RGASPI (RTsKhIDNI);
    # booksonline.com.ua/view.php?book=59243&page=98.
    ("Другие упоминания Ли Пхиль-гю можно найти в советских документах 1948 г. (Список "
     "кандидатов на учебу в Советском Союзе. Российский Центр хранения и изучения документов "
     "новейшей истории. Ф. 17. Оп. 128. Д. 618).", [rgaspi("17", "128", "618")]),
    # A page quoting a document with its full archive name; euraknot.org/2007/09/27/.
    ("Presidential Archive of the Russian Federation, f. 3, op. 3, d. 65, l. 25-26",
     [aprf("3", "3", "65", "25-26")]),
    # V. Soima, Forbidden Stalin (English translation): lettered fond without a space, "D 2"
    # without a stop, a regional archive; historyancient.ru/en/historians/lichnyi-arhiv-stalina-
    # zasekrechen-ili-likvidirovan-fakty-i-gipotezy/.
    ("GARF. F.R-9478. Op.1. D 2. L.3-4.", [R("GARF", "R-9478", "1", "2", listy="3-4")]),
    ("NARCH. F.1. Op.1. D.748. L.15.", [R("NARCH", "1", "1", "748", listy="15")]),
    # Captions of the Chelyabinsk regional archive's photographs (Cyrillic lettered fond,
    # "Дело" in full); arhistrazh.livejournal.com/360343.html.
    ("Организаторы Челябинского отделения ВООПИК. Первый справа – председатель, профессор "
     "А.И. Лазарев. 1967 год. ОГАЧО. Ф. Р-12. Оп. 1. Дело 234.",
     [R("ОГАЧО", "Р-12", "1", "234")]),
    ("Группа участников семинара ответственных секретарей Челябинского областного отделения "
     "ВООПИК. С.И. Загребин – в центре, нижний ряд. 1968 год. ОГАЧО. Ф. Р-12. Оп. 1. Дело 235",
     [R("ОГАЧО", "Р-12", "1", "235")]),
    # Stalin and Kaganovich. Correspondence. 1931–1936 (Yale/RGASPI edition, English text),
    # archive lines and footnotes ("Op 11" without a stop, a verso "2v", "Ibid." with sheets);
    # marxistleninists.org/Stalin/Stalin%20Kaganovich/1935%20october.htm, 1933%20october.htm,
    # 1935%20september.htm, 1934%20september.htm.
    ("Archive: RGASPI F. 558. Op. 11. D. 90. L. 119. Certified typewritten copy.",
     [rgaspi("558", "11", "90", "119")]),
    ("Archive: RGASPI F. 558. Op. 11. D. 81. L. 76. Autograph.", [rgaspi("558", "11", "81", "76")]),
    ("Stalin to Kaganovich, Molotov September 2, 1935Archive: RGASPI F. 558. Op 11. D. 89. "
     "L. 2, 2v. Autograph.", [rgaspi("558", "11", "89", "2, 2v")]),
    ("Archive: RGASPI F. 558. Op. 11. D. 84. L. 75. Autograph.", [rgaspi("558", "11", "84", "75")]),
    ("1 Number and date entered by the secretary. On the same day sent in code from Sochi at 3 "
     "o'clock. 3 min. (Ibid. L. 74).", [R("", listy="74")]),
    ("1 Number and date entered by the secretary. On the same day it was sent in code from Gagra "
     "at 16:00. 20 minutes. (Ibid. L. 75).", [R("", listy="75")]),
    # Stalin's Letters to Molotov, 1925–1936 (Yale), notes to letter 55 (the former name
    # RTsKhIDNI; "ibid." inside a sentence); marxism.halkcephesi.net/Stalin/Letters%20to%20Molotov/
    # 1930.htm.
    ("The Politburo noted that Bauman had \"in practice displayed appeasement toward 'leftist' "
     "deviationists\" and resolved (RTsKhIDNI f. 17, op. 3, d. 783, ll. 12, 13):",
     [rgaspi("17", "3", "783", "12, 13")]),
    ("On 20 April 1930, the Politburo assigned Molotov to report to the plenum of the Moscow and "
     "Moscow Regional party committees on this resolution (ibid., l. 14).", [R("", listy="14")]),
    # D. Rayfield, Stalin and His Hangmen, note 30 (fond, opis, delo, list as bare numbers);
    # user.bibliboba.online/books/stalin-and-his-hangmen-the-tyrant-and-those-who-killed-for-him/
    # p/253.
    ("See GARF 9401, 2, 99, 386. Vyshinsky dribbled while listening to his telephone and in "
     "September 1945 it stopped working.", [R("GARF", "9401", "2", "99", listy="386")]),
    # S. Kotkin, Stalin, vol. 2, more parenthetical references from notes 233 and 234 (those
    # without an archive continue the one before); hello.chitka.online/b/stalin-7/p/705 and /p/851.
    ("(618–9: d. 232, l. 31–4)", [R("", delo="232", listy="31–4")]),
    ("(l. 172: March 27)", [R("", listy="172")]),
    ("(l. 186: April 3)", [R("", listy="186")]),
    ("(l. 213–7: April 15)", [R("", listy="213–7")]),
    ("(l. 220–1: April 17)", [R("", listy="220–1")]),
    ("Khaustov et al., Lubianka: Stalin i VChK, 606–10 (APRF, f. 3, op. 58, d. 230, l. 67–75: "
     "E. K. Mukhanova testimony, Feb. 10).", [aprf("3", "58", "230", "67–75")]),
    # Kotkin, note 235: a second file of the same fond and opis after a date and a page number.
    ("Khaustov et al., Lubianka: Stalin i VChK, 604–6 (APRF, f. 3, op. 58, d. 231, l. 32–6: "
     "Feb. 7), 230 (d. 230, l. 67–75: Feb. 10).",
     [aprf("3", "58", "231", "32–6"), aprf("3", "58", "230", "67–75")]),
    # Foreign archives, by call number. R. Gellately, Stalin's Curse, note 45 (rulit.me/books/
    # stalin-039-s-curse-battling-for-communism-in-war-and-cold-war-read-355107-143.html).
    ("The Russian minutes of SED conversations with Stalin, in Bernd Bonwetsch and Sergej "
     "Kudrjasov, “Stalin und die II. Parteikonferenz der SED”, 173–206. The German record is in "
     "BAB, SAPMO, NY 4036: Nachlass Pieck, 696, 12–25.",
     [R("SAPMO", "NY 4036", call="NY 4036: Nachlass Pieck, 696, 12–25")]),
    # A. Cathcart on documents of the PRC Foreign Ministry Archive
    # (adamcathcart.com/2009/10/31/new-korean-war-documents-from-beijing-archives/).
    ("PRC Ministry of Foreign Affairs Archive, Document 118-00235-03, "
     "关于中国扑获的朝鲜战争时期加拿大战俘麦金的释放事.",
     [R("PRC Ministry of Foreign Affairs Archive", delo="118-00235-03", call="118-00235-03")]),
    # Documents on Irish Foreign Policy, vol. 9, document heading (difp.ie/volume-9/1950/
    # confidential-report-boland-to-nunan/5126).
    ("No. 526 NAI DFA/10/P202", [R("NAI", "DFA", delo="10/P202", call="DFA/10/P202")]),
]

# Footnotes that cite no archive at all: a precise error, nothing else (COSTA, footnotes 10, 13
# and 28; Khlevniuk, Stalin, notes 77, 79 and 112).
NO_REFERENCE = [
    # O. Khlevniuk, Stalin, notes 77 and 79 (rulit.me/books/stalin-read-552537-118.html): an
    # "Ibid." with a book's pages is no archive reference.
    "Ibid., pp. 135–136; emphasis by Stalin.",
    "Ibid., p. 126.",
    "Khrushchev N.S. in Talbott S. (ed.), *Khrushchev Remembers* (London: Little Brown & "
    "Company, 1971), pp.368-370",
    "Weathersby (winter 1995), p.32",
    "Jian C., *China's Road to the Korean War* (NY: Columbia University Press, 1994), pp.213-4",
    "Chernobaev, Na prieme u Stalina, p. 551; N. Kovaleva et al., comps., Molotov, Malenkov, "
    "Kaganovich. 1957. Stenogramma iiun’skogo plenuma TsK KPSS i drugie dokumenty (Moscow, "
    "1998), pp. 193–194.",
]


# Published references with a misprint ("Op. P." for "Op. 11"): an error quoting the part that
# cannot be read, never a silent misreading (Stalin and Kaganovich. Correspondence, archive lines
# of 1 October 1933 and 1 September 1934; marxistleninists.org/Stalin/Stalin%20Kaganovich/
# 1933%20october.htm and 1934%20september.htm).
UNREADABLE = [
    ("Archive: RGASPI F. 558. Op. P. D. 81. L. 77. Certified typewritten copy.",
     "Op. P. D. 81. L. 77. Certified typewritten copy"),
    ("Archive: RGASPI F. 558. Op. P. D. 84. L. 80, 83. Original. Typescript; F. 558. Op. 11. "
     "D. 50. L. 59–62. Typewritten text with Molotov's editing.",
     "Op. P. D. 84. L. 80, 83. Original. Typescript; F. 558. Op. 11. D. 50. L. 59–62. "
     "Typewritten text with Molotov's editing"),
]


def test_the_table_is_large_enough():
    assert len(FOOTNOTES) >= 120
    assert len({text for text, _ in FOOTNOTES}) == len(FOOTNOTES)


@pytest.mark.parametrize(("text", "expected"), FOOTNOTES, ids=[t[:60] for t, _ in FOOTNOTES])
def test_archive_ref_json(text, expected, capsys):
    assert main(["ref", "--json", text]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [{key: ref[key] for key in FIELDS} for ref in printed] == expected


@pytest.mark.parametrize("text", NO_REFERENCE)
def test_no_reference_is_a_precise_error(text, capsys):
    assert main(["ref", "--json", text]) == 1
    out, err = capsys.readouterr()
    assert (out, err.strip()) == ("", f'archive: no archive reference found in "{text}"')


@pytest.mark.parametrize(("text", "unreadable"), UNREADABLE)
def test_a_misprinted_part_is_a_precise_error(text, unreadable, capsys):
    assert main(["ref", "--json", text]) == 1
    out, err = capsys.readouterr()
    assert (out, err.strip()) == (
        "", f'archive: cannot read "{unreadable}" in archive reference "{text}"')
