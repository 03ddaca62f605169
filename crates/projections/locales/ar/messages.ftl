# رسائل المنظومة (تذكير، تجاوز الآجال، متابعة الملفات).

obligation-file-reply = الرد على الملف
obligation-file-first-response = الرد الأول على البريد الإلكتروني (48 ساعة)
obligation-referral-reply = الرد على الملف المحال
obligation-cso-regularisation = تسوية وضعية الجمعية
obligation-opinions-committee-report = تقرير اللجنة قبل الدورة
obligation-opinions-summary-posting = تعليق ملخص التقارير
obligation-opinions-summary-display = إبقاء ملخص التقارير معلقا
obligation-watcher-corrective-action = الإجراء التصحيحي المعلن عنه
obligation-other = الالتزام

reminder-subject = تذكير: { $what } ({ $reference })
reminder-body =
    تحية طيبة،

    نذكّركم بأن { $what } (المرجع { $reference }) مطلوب في أجل أقصاه { $due }.

    منظومة المواطن الإلكتروني

overdue-subject = تجاوز الأجل: { $what } ({ $reference })
overdue-body =
    تحية طيبة،

    تم تجاوز أجل { $due }: لم يتم إنجاز { $what } (المرجع { $reference }).
    تم إعلام المستوى الأعلى بهذا التأخير.

    منظومة المواطن الإلكتروني

escalation-subject = إعلام بتأخير: { $what } ({ $reference })
escalation-body =
    تحية طيبة،

    للمتابعة: لم يتم إنجاز { $what } (المرجع { $reference }) المطلوب في أجل أقصاه { $due }.
    مستوى الإعلام: { $level }.

    منظومة المواطن الإلكتروني
