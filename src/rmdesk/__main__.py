from rmdesk.app import main

raise SystemExit(main())
