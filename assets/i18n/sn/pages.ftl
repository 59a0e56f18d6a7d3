### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The participant-facing pages (certificate check, portal, error pages).

## Every page

site-name = Kudzidziswa neIWSD
site-issuer = Institute of Water and Sanitation Development (IWSD)
site-description = Zvinyorwa zvekudzidziswa neIWSD: ongorora chitupa, ona maworkshop ako nezvitupa zvako.
skip-to-content = Enda kune zviri mukati
language-switch = Mutauro
signed-in-as = Wapinda: { $name }
sign-out = Buda

## Dates: month names written out here (the Fluent crates carry no CLDR date data)

date-long = { $day } { $month ->
        [1] Ndira
        [2] Kukadzi
        [3] Kurume
        [4] Kubvumbi
        [5] Chivabvu
        [6] Chikumi
        [7] Chikunguru
        [8] Nyamavhuvhu
        [9] Gunyana
        [10] Gumiguru
        [11] Mbudzi
       *[12] Zvita
    } { $year }
date-span-one-month = { $start_day } – { $end }
date-span = { $start } – { $end }

## Levels of a workshop

level-tot = Kudzidzisa Vadzidzisi — vanobvumirwa kudzidzisa vamwe
level-cascade = Workshop yevashandi vekanzuru nevatungamiri venharaunda
level-community = Workshop yenharaunda

## Facts shown on several pages

field-course = Kosi
field-level = Danho
field-dates = Mazuva
field-venue = Nzvimbo
add-to-linkedin = Isa paLinkedIn

## Certificate check (/verify)

verify-title = Kuongorora chitupa
verify-valid = CHIRI PAMUTEMO
verify-revoked = CHAKABVISWA
verify-replaced = CHAKATSIVIWA
verify-valid-explainer = Chitupa ichi chakapihwa neIWSD uye chichiri pamutemo.
verify-revoked-explainer = Chitupa ichi chakabviswa neIWSD uye hachichashandi.
verify-revoked-on = Chakabviswa pa{ $date }
verify-replaced-by = Chakatsiviwa nechitupa { $number }
verify-replaced-explainer = IWSD yakapa chitupa ichi patsva kuti chigadziriswe; chitupa chitsva ndicho chinoshanda.
verify-see-replacement = Ongorora chitupa chakachitsiva
verify-reason = Chikonzero:
verify-holder = Muridzi
verify-number = Nhamba yechitupa
verify-issued-by = Chakapihwa na
verify-issued-on = Chakapihwa pa
verify-signed-by = Chakasainwa na
verify-machine-readable = Rekodhi inoverengwa nemakomputa (JSON)
verify-unknown-verdict = HACHINA KUWANIKWA
verify-unknown-text = Hapana chitupa chine kodhi iyi. Enzanisa kero neQR code kana link iri pachitupa.

## Error pages

error-not-found-title = Hazvina kuwanikwa
error-not-found-text = Hapana chiri pano, kana kuti hachisi chako kuti uchione.
error-forbidden-title = Hachisi chako kuti uchione
error-form-expired-title = Edza zvakare
error-form-expired-text = Fomu iyi haina kugamuchirwa (pamwe nguva yayo yapera). Dzokera, vandudza peji uye uitumire zvakare.
error-too-many-title = Waedza kakawandisa
error-too-many-text = { $seconds ->
        [one] Mira sekondi { $seconds } wozoedza zvakare.
       *[other] Mira masekondi { $seconds } wozoedza zvakare.
    }
error-invalid-title = Tarisa zvawanyora
error-busy-title = Pane vakawanda izvozvi
error-server-title = Pane chakanganisika
error-server-text = Sevha haina kukwanisa kupedza izvi. Edza zvakare munguva pfupi.
error-go-home = Dzokera kumavambo

## The participant's portal (/portal)

portal-title = Maworkshop angu nezvitupa zvangu
portal-intro = Nyora kero yeemail yaunayo kuIWSD. Tichakutumira link inokupinza — hapana password inodiwa.
portal-email-label = Kero yeemail
portal-send-link = Nditumirei link yekupinda
portal-link-sent-title = Tarisa email yako
portal-link-sent-text = Kana { $email } iri yemudzidzi, link yekupinda yave munzira. Inoshanda kamwe chete, kwemaminitsi makumi matatu.
portal-link-invalid-title = Link iyi haishande
portal-link-invalid-text = Link yakatoshandiswa, nguva yayo yapera, kana kuti haisi link yekupinda.
portal-ask-again = Kumbira link itsva
portal-my-enrolments = Maworkshop angu
portal-no-enrolments = Hauna kunyoreswa muworkshop ipi neipi.
portal-status-enrolled = Wakanyoreswa
portal-status-completed = Yapera
portal-status-waitlisted = Nhamba { $position } pamutsetse wekumirira
portal-status-waitlisted-unknown = Pamutsetse wekumirira
portal-status-withdrawn = Wakabuda
portal-certificate-earned = Wawana chitupa.
portal-no-certificate = Hapana chitupa: { $reasons }
portal-unmet-attendance = Wakapinda mazuva { $attended } pamazuva { $required } anodiwa.
portal-unmet-no-post-test = Hapana mamakisi ebvunzo yekupedzisira akanyorwa.
portal-unmet-pass-mark = Mamakisi ako ebvunzo yekupedzisira { $score } ari pasi pemamakisi ekupasa e{ $pass_mark }%.
portal-schedule = Zuva nezuva
portal-day = Zuva { $day }, { $date }: { $topics }
portal-day-practice = Zuva { $day }, { $date }: kudzidzira nekudzokorora
portal-add-to-calendar = Isa mukarenda yangu (.ics)
portal-evaluate = Ongorora workshop iyi
portal-evaluated = Wakaongorora workshop iyi. Tinotenda.
portal-my-certificates = Zvitupa zvangu
portal-no-certificates = Hapana zvitupa parizvino.
portal-download-pdf = Dhaunirodha PDF
portal-public-check = Peji yekuongorora yeruzhinji
portal-not-a-participant = Akaundi iyi haina rekodhi yemudzidzi, saka haina maworkshop kana zvitupa zvayo.
