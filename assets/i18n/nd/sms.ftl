### isiNdebele — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

# SMS to participants: at most two segments (306 plain characters, GSM alphabet only) with a
# 60-character name and an 80-character venue. A "-short" message leaves out the venue or the name.

sms-sign-in-code = Ikhodi yakho yokungena kuCSSD ngu-{ $code }. Iphela emizuzwini engu-{ $minutes }. Ungayiniki omunye umuntu.
sms-enrolment-confirmation = { $name }, indawo yakho esifundweni { $course } iqinisekisiwe: { $date } kusukela ngo-{ $time } e-{ $venue }. IWSD
sms-enrolment-confirmation-short = { $name }, indawo yakho esifundweni { $course } iqinisekisiwe: { $date } kusukela ngo-{ $time }. IWSD
sms-waitlist = { $name }, isifundo { $course } sika-{ $date } sigcwele. Uyinombolo { $position } ohlwini lokulinda; sizakuthumelela umlayezo nxa indawo ivuleka. IWSD
sms-waitlist-short = Isifundo { $course } sika-{ $date } sigcwele. Uyinombolo { $position } ohlwini lokulinda; sizakuthumelela umlayezo nxa indawo ivuleka. IWSD
sms-promotion = { $name }, indawo ivulekile: usubhalisiwe esifundweni { $course }, { $date } kusukela ngo-{ $time } e-{ $venue }. IWSD
sms-promotion-short = { $name }, indawo ivulekile: usubhalisiwe esifundweni { $course }, { $date } kusukela ngo-{ $time }. IWSD
sms-reminder = { $name }, isikhumbuzo: isifundo { $course } siqala ngo-{ $date } ngo-{ $time }, e-{ $venue }. IWSD
sms-reminder-short = { $name }, isikhumbuzo: isifundo { $course } siqala ngo-{ $date } ngo-{ $time }. IWSD
sms-cancellation = { $name }, isifundo { $course } sika-{ $date } e-{ $venue } sikhanseliwe. Siyaxolisa. IWSD
sms-cancellation-short = { $name }, isifundo { $course } sika-{ $date } sikhanseliwe. Siyaxolisa. IWSD
sms-evaluation-request = { $name }, siyabonga ngokuza esifundweni { $course }. Sicela usitshele ukuthi kuhambe njani: { $link } IWSD
sms-evaluation-request-short = Siyabonga ngokuza esifundweni { $course }. Sicela usitshele ukuthi kuhambe njani: { $link } IWSD
sms-certificate = { $name }, isitifiketi sakho se-{ $course } sesilungile. Sihlole: { $verify } Sithathe: { $portal } IWSD
sms-certificate-short = Isitifiketi sakho se-{ $course } sesilungile. Sihlole: { $verify } Sithathe: { $portal } IWSD
sms-application-accepted = { $name }, isicelo sakho { $reference } samukelwe: ulendawo esifundweni { $course }, { $date } kusukela ngo-{ $time } e-{ $venue }. IWSD
sms-application-accepted-short = Isicelo sakho { $reference } samukelwe: ulendawo esifundweni { $course }, { $date } kusukela ngo-{ $time }. IWSD
sms-application-waitlisted = { $name }, isicelo sakho { $reference } samukelwe: isifundo { $course } sika-{ $date } sigcwele, uyinombolo { $position } ohlwini lokulinda. IWSD
sms-application-waitlisted-short = Isicelo sakho { $reference } samukelwe: isifundo { $course } sika-{ $date } sigcwele, uyinombolo { $position } ohlwini lokulinda. IWSD
sms-application-declined = { $name }, isicelo sakho { $reference } sesifundo { $course } sika-{ $date } kasamukelwanga. Isizatho: { $reason } IWSD
sms-application-declined-short = Isicelo sakho { $reference } sesifundo { $course } sika-{ $date } kasamukelwanga. Isizatho: { $reason } IWSD
sms-application-declined-bare = Isicelo sakho { $reference } sesifundo { $course } sika-{ $date } kasamukelwanga. Tshela i-IWSD u-{ $reference } ukuze wazi isizatho. IWSD
