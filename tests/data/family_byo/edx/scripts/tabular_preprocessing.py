# placeholder script: the generated pipeline only uploads it
