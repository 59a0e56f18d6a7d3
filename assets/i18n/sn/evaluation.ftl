### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).
### The workshop evaluation form in the participant's portal.

eval-title = Ongorora workshop iyi
eval-about = { $course }, { $dates }, { $venue }
eval-intro = Mhinduro dzako dzinobatsira IWSD kuvandudza maworkshop ayo. Vadzidzisi vanoona pfupiso yemhinduro dzevose chete, kwete zita rako.
eval-scale = Ipa mamakisi kubva pa1 (zvakashata zvikuru) kusvika pa5 (zvakanakisa).
eval-overall = Workshop yose zvayo
eval-trainers = Vadzidzisi
eval-venue = Nzvimbo
eval-materials = Zvinyorwa nezvishandiso
eval-topics = Misoro
eval-topics-hint = Unogona kusiya musoro usina mamakisi.
eval-topic = Musoro: { $topic }
eval-rating-1 = 1, zvakashata zvikuru
eval-rating-2 = 2, zvakashata
eval-rating-3 = 3, zvakaringana
eval-rating-4 = 4, zvakanaka
eval-rating-5 = 5, zvakanakisa
eval-not-rated = Hapana mamakisi
eval-most-useful = Chii chakakubatsira zvikuru?
eval-suggestions = IWSD ingaita sei zviri nani?
eval-comment-hint = Hazvimanikidzwi.
eval-submit = Tumira ongororo yangu
eval-errors = Tarisa mhinduro dzakaratidzwa pazasi.
eval-error-rating = Sarudza mamakisi kubva pa1 kusvika pa5.
eval-error-comment = Mhinduro iyi yakarebesa kana kuti ine mavara asingagoni kuchengetwa. Ipfupise kana uinyore patsva.
eval-thanks-title = Tinotenda
eval-thanks-text = Tagamuchira ongororo yako ye{ $course }.
eval-back = Dzokera kumaworkshop angu
eval-closed-title = Workshop iyi haigoni kuongororwa
eval-already = Wakatoongorora workshop iyi. Mudzidzi mumwe nemumwe anoongorora workshop kamwe chete.
eval-not-yet = Workshop iyi inogona kuongororwa kubva pazuva rayo rekupedzisira, { $date }.
eval-not-attended = Vadzidzi vakapinda kanenge zuva rimwe chete ndivo vega vanogona kuongorora workshop iyi.
eval-cancelled = Workshop iyi yakamiswa, saka hapana chekuongorora.
