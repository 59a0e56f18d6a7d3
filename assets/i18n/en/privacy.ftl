privacy-my-data = My data
privacy-my-data-note = You may have a copy of everything IWSD holds about you: your record, enrolments, attendance, scores, certificates and the messages sent to you.
privacy-download-my-data = Download my data
privacy-withdrawn = This certificate was withdrawn at the holder's request.
