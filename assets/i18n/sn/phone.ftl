### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

portal-phone-link = Pindai nenhamba yenyu yefoni
phone-title = Pindai nenhamba yenyu yefoni
phone-intro = Nyorai nhamba yefoni inozivikanwa neIWSD. Tichakutumirai kodhi ine manhamba matanhatu neSMS.
phone-label = Nhamba yefoni
phone-send = Nditumirei kodhi
phone-invalid = Iyi haisi nhamba yefoni. Inyorei se 077 123 4567, kana ne + nekodhi yenyika.
phone-email-instead = Pindai nekero yenyu yeemail
code-title = Nyorai kodhi yenyu
code-sent = Kana { $phone } iri yemunhu akanyoreswa, kodhi ine manhamba matanhatu iri munzira neSMS. Inoshanda kwemaminitsi gumi.
code-label = Kodhi iri muSMS
code-submit = Pindai
code-wrong = Kodhi iyi haina kururama, yakashandiswa kana kuti yapera. Tarisai SMS, kana kumbirai kodhi itsva.
code-again = Kumbirai kodhi itsva
