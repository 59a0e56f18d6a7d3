### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

# SMS to participants: at most two segments (306 plain characters, GSM alphabet only) with a
# 60-character name and an 80-character venue. A "-short" message leaves out the venue or the name.

sms-sign-in-code = Kodhi yenyu yekupinda muCSSD ndeye { $code }. Inopera mumaminitsi { $minutes }. Musaipa kune mumwe munhu.
sms-enrolment-confirmation = { $name }, nzvimbo yenyu pakosi { $course } yasimbiswa: { $date } kubva { $time } ku{ $venue }. IWSD
sms-enrolment-confirmation-short = { $name }, nzvimbo yenyu pakosi { $course } yasimbiswa: { $date } kubva { $time }. IWSD
sms-waitlist = { $name }, kosi { $course } ye{ $date } yazara. Muri nhamba { $position } parondedzero yekumirira; tichakutumirai meseji kana nzvimbo yavhurika. IWSD
sms-waitlist-short = Kosi { $course } ye{ $date } yazara. Muri nhamba { $position } parondedzero yekumirira; tichakutumirai meseji kana nzvimbo yavhurika. IWSD
sms-promotion = { $name }, nzvimbo yavhurika: manyoreswa pakosi { $course }, { $date } kubva { $time } ku{ $venue }. IWSD
sms-promotion-short = { $name }, nzvimbo yavhurika: manyoreswa pakosi { $course }, { $date } kubva { $time }. IWSD
sms-reminder = { $name }, chiyeuchidzo: kosi { $course } inotanga { $date } na{ $time }, ku{ $venue }. IWSD
sms-reminder-short = { $name }, chiyeuchidzo: kosi { $course } inotanga { $date } na{ $time }. IWSD
sms-cancellation = { $name }, kosi { $course } ye{ $date } ku{ $venue } yamiswa. Tine urombo. IWSD
sms-cancellation-short = { $name }, kosi { $course } ye{ $date } yamiswa. Tine urombo. IWSD
sms-evaluation-request = { $name }, tinotenda nekupinda kosi { $course }. Tiudzeiwo kuti yakafamba sei: { $link } IWSD
sms-evaluation-request-short = Tinotenda nekupinda kosi { $course }. Tiudzeiwo kuti yakafamba sei: { $link } IWSD
sms-certificate = { $name }, setifiketi yenyu ye{ $course } yagadzirira. Iongororei: { $verify } Itorei: { $portal } IWSD
sms-certificate-short = Setifiketi yenyu ye{ $course } yagadzirira. Iongororei: { $verify } Itorei: { $portal } IWSD
sms-application-accepted = { $name }, chikumbiro chenyu { $reference } chabvumirwa: mune nzvimbo pakosi { $course }, { $date } kubva { $time } ku{ $venue }. IWSD
sms-application-accepted-short = Chikumbiro chenyu { $reference } chabvumirwa: mune nzvimbo pakosi { $course }, { $date } kubva { $time }. IWSD
sms-application-waitlisted = { $name }, chikumbiro chenyu { $reference } chabvumirwa: kosi { $course } ye{ $date } yazara, muri nhamba { $position } parondedzero yekumirira. IWSD
sms-application-waitlisted-short = Chikumbiro chenyu { $reference } chabvumirwa: kosi { $course } ye{ $date } yazara, muri nhamba { $position } parondedzero yekumirira. IWSD
sms-application-declined = { $name }, chikumbiro chenyu { $reference } chekosi { $course } ye{ $date } hachina kubvumirwa. Chikonzero: { $reason } IWSD
sms-application-declined-short = Chikumbiro chenyu { $reference } chekosi { $course } ye{ $date } hachina kubvumirwa. Chikonzero: { $reason } IWSD
sms-application-declined-bare = Chikumbiro chenyu { $reference } chekosi { $course } ye{ $date } hachina kubvumirwa. Taurai { $reference } kuIWSD kuti muzive chikonzero. IWSD
