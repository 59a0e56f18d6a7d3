### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The participant-facing pages (certificate check, portal, error pages).

## Every page

site-name = Ukuqeqeshwa yi-IWSD
site-issuer = Institute of Water and Sanitation Development (IWSD)
site-description = Imibhalo yokuqeqeshwa ye-IWSD: hlola isitifiketi, ubone ama-workshop akho lezitifiketi zakho.
skip-to-content = Yiya kokuphakathi
language-switch = Ulimi
signed-in-as = Ungene: { $name }
sign-out = Phuma

## Dates: month names written out here (the Fluent crates carry no CLDR date data)

date-long = { $day } { $month ->
        [1] uZibandlela
        [2] uNhlolanja
        [3] uMbimbitho
        [4] uMabasa
        [5] uNkwenkwezi
        [6] uNhlangula
        [7] uNtulikazi
        [8] uNcwabakazi
        [9] uMpandula
        [10] uMfumfu
        [11] uLwezi
       *[12] uMpalakazi
    } { $year }
date-span-one-month = { $start_day } – { $end }
date-span = { $start } – { $end }

## Levels of a workshop

level-tot = Ukuqeqeshwa kwabaQeqeshi — bavunyelwe ukuqeqesha abanye
level-cascade = I-workshop yabasebenzi bekhansili labakhokheli bomphakathi
level-community = I-workshop yomphakathi

## Facts shown on several pages

field-course = Isifundo
field-level = Izinga
field-dates = Izinsuku
field-venue = Indawo
add-to-linkedin = Engeza ku-LinkedIn

## Certificate check (/verify)

verify-title = Ukuhlola isitifiketi
verify-valid = SISEMTHETHWENI
verify-revoked = SIHOXISIWE
verify-replaced = SITSHINTSHIWE
verify-valid-explainer = Lesi sitifiketi sakhutshwa yi-IWSD njalo sisasebenza.
verify-revoked-explainer = Lesi sitifiketi sahoxiswa yi-IWSD njalo kasisasebenzi.
verify-revoked-on = Sahoxiswa mhla { $date }
verify-replaced-by = Sathathelwa indawo yisitifiketi { $number }
verify-replaced-explainer = I-IWSD yaphinda yakhupha lesi sitifiketi ukuze silungiswe; isitifiketi esitsha yiso esisebenzayo.
verify-see-replacement = Hlola isitifiketi esathatha indawo yaso
verify-reason = Isizatho:
verify-holder = Umnikazi
verify-number = Inombolo yesitifiketi
verify-issued-by = Sikhutshwe ngu
verify-issued-on = Sikhutshwe mhla
verify-signed-by = Sisayinwe ngu
verify-machine-readable = Irekhodi elibalwa ngamakhompyutha (JSON)
verify-unknown-verdict = KASITHOLAKALANGA
verify-unknown-text = Akulasitifiketi esilale khodi yokuhlola. Qhathanisa ikheli le-QR code kumbe ilinki esesitifiketini.

## Error pages

error-not-found-title = Akutholakalanga
error-not-found-text = Akulalutho lapha, kumbe akusikho okwakho ukukubona.
error-forbidden-title = Akusikho okwakho ukukubona
error-form-expired-title = Ake uzame futhi
error-form-expired-text = Leli fomu kalamukelekanga (mhlawumbe isikhathi salo siphelile). Buyela emuva, uvuselele ikhasi, ulithumele futhi.
error-too-many-title = Uzame kanengi kakhulu
error-too-many-text = { $seconds ->
        [one] Ake ulinde isekhondi { $seconds } ubusuzama futhi.
       *[other] Ake ulinde amasekhondi angu-{ $seconds } ubusuzama futhi.
    }
error-invalid-title = Ake uhlole okubhalileyo
error-busy-title = Kumatasa khathesi
error-server-title = Kukhona okungahambanga kuhle
error-server-text = Iseva ayikwazanga ukuqeda lokhu. Ake uzame futhi emva kwesikhatshana.
error-go-home = Buyela ekuqaleni

## The participant's portal (/portal)

portal-title = Ama-workshop ami lezitifiketi zami
portal-intro = Bhala ikheli le-email i-IWSD elilalo ngawe. Sizakuthumelela ilinki ekungenisayo — akudingeki iphasiwedi.
portal-email-label = Ikheli le-email
portal-send-link = Ngithumelele ilinki yokungena
portal-link-sent-title = Khangela i-email yakho
portal-link-sent-text = Nxa { $email } kungesomfundi, ilinki yokungena isendleleni. Isebenza kanye kuphela, okwemizuzu engu-30.
portal-link-invalid-title = Le linki kayisebenzi
portal-link-invalid-text = Ilinki isisetshenzisiwe, isikhathi sayo siphelile, kumbe kayisiyo linki yokungena.
portal-ask-again = Cela ilinki entsha
portal-my-enrolments = Ama-workshop ami
portal-no-enrolments = Kawubhalisanga kuloba yiyiphi i-workshop.
portal-status-enrolled = Ubhalisiwe
portal-status-completed = Iphelile
portal-status-waitlisted = Inombolo { $position } ohlwini lokulinda
portal-status-waitlisted-unknown = Ohlwini lokulinda
portal-status-withdrawn = Uhoxile
portal-certificate-earned = Usitholile isitifiketi.
portal-no-certificate = Akulasitifiketi: { $reasons }
portal-unmet-attendance = Ufike izinsuku ezingu-{ $attended } kwezingu-{ $required } ezidingekayo.
portal-unmet-no-post-test = Awekho amamaki okuhlolwa kokucina abhaliweyo.
portal-unmet-pass-mark = Amamaki akho okuhlolwa kokucina angu-{ $score } angaphansi kwamamaki okuphasa angu-{ $pass_mark }%.
portal-schedule = Ilanga ngelanga
portal-day = Ilanga { $day }, { $date }: { $topics }
portal-day-practice = Ilanga { $day }, { $date }: ukuzilolonga lokubuyekeza
portal-add-to-calendar = Engeza ekhalendeni yami (.ics)
portal-evaluate = Hlola le-workshop
portal-evaluated = Usuyihlolile le-workshop. Siyabonga.
portal-my-certificates = Izitifiketi zami
portal-no-certificates = Akukabi lazitifiketi.
portal-download-pdf = Dawuniloda i-PDF
portal-public-check = Ikhasi lokuhlola lomphakathi
portal-not-a-participant = Le-akhawunti kayilalo irekhodi lomfundi, ngakho kayilama-workshop kumbe izitifiketi zayo.
