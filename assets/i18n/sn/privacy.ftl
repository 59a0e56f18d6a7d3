### chiShona — awaiting review by IWSD's translators (written by the developers; check wording,
### spelling and tone before relying on it with participants).

privacy-my-data = Ruzivo rwangu
privacy-my-data-note = Munogona kuwana kopi yezvose zvinochengetwa neIWSD pamusoro penyu: rekodhi yenyu, kunyoresa, kupinda, zvibodzwa, zvitupa nemashoko amakatumirwa.
privacy-download-my-data = Dhaunirodha ruzivo rwangu
privacy-withdrawn = Chitupa ichi chakabviswa nekukumbira kwemuridzi wacho.
